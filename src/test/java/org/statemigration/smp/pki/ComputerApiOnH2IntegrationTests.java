package org.statemigration.smp.pki;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class ComputerApiOnH2IntegrationTests extends ComputerApiTests {

}
