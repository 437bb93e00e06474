package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;

public class InsufficientStorageException extends ProblemException {

	public InsufficientStorageException(String detail) {
		super("insufficient-storage", 507, detail);
	}

	@Override
	public String title() {
		return "Insufficient storage";
	}

}
