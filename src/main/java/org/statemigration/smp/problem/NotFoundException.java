package org.statemigration.smp.problem;

/** The named resource does not exist ({@code not-found}). */
public class NotFoundException extends ProblemException {

	public NotFoundException(String detail) {
		super(ProblemType.NOT_FOUND, detail);
	}

}
