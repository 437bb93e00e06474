package org.statemigration.smp.association;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** A restore was asked for, but nothing has been captured for the association yet ({@code no-state-store}). */
public class NothingCapturedException extends ProblemException {

	public NothingCapturedException(String detail) {
		super(ProblemType.NO_STATE_STORE, detail);
	}

}
