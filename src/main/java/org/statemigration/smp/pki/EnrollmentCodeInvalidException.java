package org.statemigration.smp.pki;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** The enrollment code is wrong, used or expired ({@code enrollment-code-invalid}); the detail never says which. */
public class EnrollmentCodeInvalidException extends ProblemException {

	public EnrollmentCodeInvalidException(String detail) {
		super(ProblemType.ENROLLMENT_CODE_INVALID, detail);
	}

}
