package org.statemigration.smp.problem;

/** The action is not allowed in the current state of its target ({@code invalid-state}). */
public class InvalidStateException extends ProblemException {

	public InvalidStateException(String detail) {
		super(ProblemType.INVALID_STATE, detail);
	}

}
