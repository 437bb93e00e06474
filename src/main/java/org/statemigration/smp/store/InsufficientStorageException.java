package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

public class InsufficientStorageException extends ProblemException {

	public InsufficientStorageException(String detail) {
		super(ProblemType.INSUFFICIENT_STORAGE, detail);
	}

}
