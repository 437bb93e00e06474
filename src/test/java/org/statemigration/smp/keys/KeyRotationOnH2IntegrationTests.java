package org.statemigration.smp.keys;

import org.statemigration.smp.support.ProcessDatabase;

class KeyRotationOnH2IntegrationTests extends KeyRotationTests {

	@Override
	ProcessDatabase openDatabase() {
		return ProcessDatabase.h2();
	}

}
