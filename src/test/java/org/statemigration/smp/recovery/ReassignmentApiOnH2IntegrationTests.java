package org.statemigration.smp.recovery;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class ReassignmentApiOnH2IntegrationTests extends ReassignmentApiTests {

}
