package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

public class NoStateStoreException extends ProblemException {

	public NoStateStoreException(String detail) {
		super(ProblemType.NO_STATE_STORE, detail);
	}

}
