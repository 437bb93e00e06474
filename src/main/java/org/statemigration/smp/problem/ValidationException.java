package org.statemigration.smp.problem;

/** The request is malformed or breaks a rule of the contract (400 {@code validation}). */
public class ValidationException extends ProblemException {

	public ValidationException(String detail) {
		super("validation", 400, detail);
	}

	@Override
	public String title() {
		return "Invalid request";
	}

}
