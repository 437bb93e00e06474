package org.statemigration.smp.pki;

import org.statemigration.smp.problem.ProblemException;

/** The enrollment code is wrong, used or expired (401); the detail never says which. */
public class EnrollmentCodeInvalidException extends ProblemException {

	public EnrollmentCodeInvalidException(String detail) {
		super("enrollment-code-invalid", 401, detail);
	}

	@Override
	public String title() {
		return "Invalid enrollment code";
	}

}
