package org.statemigration.smp.console;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class ConsolePagesOnH2IntegrationTests extends ConsolePagesTests {

}
