package org.statemigration.smp.problem;

/** The action is not allowed in the current state of its target (409 {@code invalid-state}). */
public class InvalidStateException extends ProblemException {

	public InvalidStateException(String detail) {
		super("invalid-state", 409, detail);
	}

	@Override
	public String title() {
		return "Not allowed in the current state";
	}

}
