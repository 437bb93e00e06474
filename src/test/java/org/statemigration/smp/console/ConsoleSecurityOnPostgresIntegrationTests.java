package org.statemigration.smp.console;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class ConsoleSecurityOnPostgresIntegrationTests extends ConsoleSecurityTests {

}
