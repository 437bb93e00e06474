package org.statemigration.smp.admin;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class OperatorApiOnH2IntegrationTests extends OperatorApiTests {

}
