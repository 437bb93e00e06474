package org.statemigration.smp.console;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class ConsolePagesOnPostgresIntegrationTests extends ConsolePagesTests {

}
