package org.statemigration.smp.retention;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class RetentionOnH2IntegrationTests extends RetentionTests {

}
