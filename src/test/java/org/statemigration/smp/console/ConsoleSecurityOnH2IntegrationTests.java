package org.statemigration.smp.console;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class ConsoleSecurityOnH2IntegrationTests extends ConsoleSecurityTests {

}
