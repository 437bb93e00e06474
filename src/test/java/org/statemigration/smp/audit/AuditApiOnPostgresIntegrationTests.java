package org.statemigration.smp.audit;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class AuditApiOnPostgresIntegrationTests extends AuditApiTests {

}
