package org.statemigration.smp.admin;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class AdminApiSecurityOnH2IntegrationTests extends AdminApiSecurityTests {

}
