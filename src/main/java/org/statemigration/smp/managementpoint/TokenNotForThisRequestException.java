package org.statemigration.smp.managementpoint;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** A valid token that does not cover this request: another association, operation or computer ({@code forbidden}). */
public class TokenNotForThisRequestException extends ProblemException {

	public TokenNotForThisRequestException(String detail) {
		super(ProblemType.FORBIDDEN, detail);
	}

}
