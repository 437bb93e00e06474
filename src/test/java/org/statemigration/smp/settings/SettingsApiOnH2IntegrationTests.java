package org.statemigration.smp.settings;

import org.statemigration.smp.support.H2IntegrationTest;

@H2IntegrationTest
class SettingsApiOnH2IntegrationTests extends SettingsApiTests {

}
