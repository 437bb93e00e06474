package org.statemigration.smp.managementpoint;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** The server is in restore-only mode and refuses captures ({@code restore-only-mode}). */
public class RestoreOnlyModeException extends ProblemException {

	public RestoreOnlyModeException(String detail) {
		super(ProblemType.RESTORE_ONLY_MODE, detail);
	}

}
