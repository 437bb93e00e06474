package org.statemigration.smp.store;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class StorageMetricsOnPostgresIntegrationTests extends StorageMetricsTests {

}
