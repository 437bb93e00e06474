package org.statemigration.smp.audit;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class HeldAuditHeadOnPostgresIntegrationTests extends HeldAuditHeadTests {

}
