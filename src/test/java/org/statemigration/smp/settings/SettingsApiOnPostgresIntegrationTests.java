package org.statemigration.smp.settings;

import org.statemigration.smp.support.PostgresIntegrationTest;

@PostgresIntegrationTest
class SettingsApiOnPostgresIntegrationTests extends SettingsApiTests {

}
