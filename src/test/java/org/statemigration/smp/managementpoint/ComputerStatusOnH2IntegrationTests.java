package org.statemigration.smp.managementpoint;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class ComputerStatusOnH2IntegrationTests extends ComputerStatusTests {

}
