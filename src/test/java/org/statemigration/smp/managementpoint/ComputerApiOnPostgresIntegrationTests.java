package org.statemigration.smp.managementpoint;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class ComputerApiOnPostgresIntegrationTests extends ComputerApiTests {

}
