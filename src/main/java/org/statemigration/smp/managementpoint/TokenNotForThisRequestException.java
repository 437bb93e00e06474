package org.statemigration.smp.managementpoint;

import org.statemigration.smp.problem.ProblemException;

/** A valid token that does not cover this request: another association, operation or computer (403). */
public class TokenNotForThisRequestException extends ProblemException {

	public TokenNotForThisRequestException(String detail) {
		super("forbidden", 403, detail);
	}

	@Override
	public String title() {
		return "Forbidden";
	}

}
