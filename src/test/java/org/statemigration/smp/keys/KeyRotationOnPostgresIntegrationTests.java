package org.statemigration.smp.keys;

import org.statemigration.smp.support.ProcessDatabase;

class KeyRotationOnPostgresIntegrationTests extends KeyRotationTests {

	@Override
	ProcessDatabase openDatabase() {
		return ProcessDatabase.freshPostgres("smp_key_rotation");
	}

}
