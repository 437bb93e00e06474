package org.statemigration.smp.pki;

import org.statemigration.smp.support.ProcessDatabase;

class EnrollmentThrottleOnH2IntegrationTests extends EnrollmentThrottleTests {

	@Override
	ProcessDatabase openDatabase() {
		return ProcessDatabase.h2();
	}

}
