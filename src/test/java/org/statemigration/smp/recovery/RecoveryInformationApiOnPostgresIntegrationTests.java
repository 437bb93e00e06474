package org.statemigration.smp.recovery;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class RecoveryInformationApiOnPostgresIntegrationTests extends RecoveryInformationApiTests {

}
