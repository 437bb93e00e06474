package org.statemigration.smp.managementpoint;

import org.statemigration.smp.problem.ProblemException;

/** The server is in restore-only mode and refuses captures (503). */
public class RestoreOnlyModeException extends ProblemException {

	public RestoreOnlyModeException(String detail) {
		super("restore-only-mode", 503, detail);
	}

	@Override
	public String title() {
		return "Restore-only mode";
	}

}
