package org.statemigration.smp.managementpoint;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class ClientApiBodyLimitsOnH2IntegrationTests extends ClientApiBodyLimitsTests {

}
