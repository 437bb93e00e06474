package org.statemigration.smp.managementpoint;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class ClientApiBodyLimitsOnPostgresIntegrationTests extends ClientApiBodyLimitsTests {

}
