package org.statemigration.smp.association;

import org.statemigration.smp.problem.ProblemException;

/** A restore was asked for, but nothing has been captured for the association yet (404 {@code no-state-store}). */
public class NothingCapturedException extends ProblemException {

	public NothingCapturedException(String detail) {
		super("no-state-store", 404, detail);
	}

	@Override
	public String title() {
		return "No state store";
	}

}
