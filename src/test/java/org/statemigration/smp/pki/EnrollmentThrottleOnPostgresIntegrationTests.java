package org.statemigration.smp.pki;

import org.statemigration.smp.support.ProcessDatabase;

class EnrollmentThrottleOnPostgresIntegrationTests extends EnrollmentThrottleTests {

	@Override
	ProcessDatabase openDatabase() {
		return ProcessDatabase.freshPostgres("smp_enrollment_throttle");
	}

}
