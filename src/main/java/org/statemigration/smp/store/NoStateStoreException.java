package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;

public class NoStateStoreException extends ProblemException {

	public NoStateStoreException(String detail) {
		super("no-state-store", 404, detail);
	}

	@Override
	public String title() {
		return "No state store";
	}

}
