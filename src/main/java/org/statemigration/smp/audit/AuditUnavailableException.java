package org.statemigration.smp.audit;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/**
 * The audit record of a sensitive action could not be written, so the action was refused ({@code audit-unavailable}).
 */
public class AuditUnavailableException extends ProblemException {

	public AuditUnavailableException(Throwable cause) {
		super(ProblemType.AUDIT_UNAVAILABLE, "The audit log cannot be written; the action was not carried out", cause);
	}

}
