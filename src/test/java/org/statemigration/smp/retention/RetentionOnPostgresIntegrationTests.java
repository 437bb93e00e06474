package org.statemigration.smp.retention;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class RetentionOnPostgresIntegrationTests extends RetentionTests {

}
