package org.statemigration.smp.admin;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class OperatorApiBodyLimitsOnPostgresIntegrationTests extends OperatorApiBodyLimitsTests {

}
