package org.statemigration.smp.association;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class LegalHoldApiOnPostgresIntegrationTests extends LegalHoldApiTests {

}
