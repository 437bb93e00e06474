package org.statemigration.smp.managementpoint;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class CaptureAndRestoreOnH2IntegrationTests extends CaptureAndRestoreTests {

}
