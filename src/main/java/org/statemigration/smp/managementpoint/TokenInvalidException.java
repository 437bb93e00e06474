package org.statemigration.smp.managementpoint;

import org.statemigration.smp.problem.ProblemException;

/** The bearer token is missing, malformed, expired, spent, or bound to another certificate (401). The detail never says which. */
public class TokenInvalidException extends ProblemException {

	public TokenInvalidException(String detail) {
		super("token-invalid", 401, detail);
	}

	@Override
	public String title() {
		return "Invalid token";
	}

}
