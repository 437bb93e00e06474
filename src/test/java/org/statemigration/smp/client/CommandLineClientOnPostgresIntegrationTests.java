package org.statemigration.smp.client;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class CommandLineClientOnPostgresIntegrationTests extends CommandLineClientTests {

}
