package org.statemigration.smp.audit;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class AuditTamperingOnH2IntegrationTests extends AuditTamperingTests {

}
