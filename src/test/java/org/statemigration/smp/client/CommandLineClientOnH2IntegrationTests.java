package org.statemigration.smp.client;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class CommandLineClientOnH2IntegrationTests extends CommandLineClientTests {

}
