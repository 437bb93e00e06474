package org.statemigration.smp.audit;

import org.statemigration.smp.problem.ProblemException;

/** The audit record of a sensitive action could not be written, so the action was refused (503). */
public class AuditUnavailableException extends ProblemException {

	public AuditUnavailableException(Throwable cause) {
		super("audit-unavailable", 503, "The audit log cannot be written; the action was not carried out", cause);
	}

	@Override
	public String title() {
		return "Audit log unavailable";
	}

}
