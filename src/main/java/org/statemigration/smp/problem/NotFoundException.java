package org.statemigration.smp.problem;

/** The named resource does not exist (404 {@code not-found}). */
public class NotFoundException extends ProblemException {

	public NotFoundException(String detail) {
		super("not-found", 404, detail);
	}

	@Override
	public String title() {
		return "Not found";
	}

}
