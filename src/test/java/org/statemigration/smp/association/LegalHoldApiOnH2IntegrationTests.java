package org.statemigration.smp.association;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class LegalHoldApiOnH2IntegrationTests extends LegalHoldApiTests {

}
