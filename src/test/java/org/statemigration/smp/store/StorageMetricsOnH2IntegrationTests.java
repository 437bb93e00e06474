package org.statemigration.smp.store;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class StorageMetricsOnH2IntegrationTests extends StorageMetricsTests {

}
