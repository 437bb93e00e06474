package org.statemigration.smp.managementpoint;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/**
 * The bearer token is missing, malformed, expired, spent, or bound to another certificate ({@code token-invalid}).
 * The detail never says which.
 */
public class TokenInvalidException extends ProblemException {

	public TokenInvalidException(String detail) {
		super(ProblemType.TOKEN_INVALID, detail);
	}

}
