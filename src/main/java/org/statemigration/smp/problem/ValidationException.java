package org.statemigration.smp.problem;

/** The request is malformed or breaks a rule of the contract ({@code validation}). */
public class ValidationException extends ProblemException {

	public ValidationException(String detail) {
		super(ProblemType.VALIDATION, detail);
	}

}
