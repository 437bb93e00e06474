package org.statemigration.smp.managementpoint.web;

import org.statemigration.smp.managementpoint.TokenInvalidException;

/** Reads the token from an {@code Authorization: Bearer} header. */
final class Bearer {

	private static final String PREFIX = "Bearer ";

	private Bearer() {
	}

	static String token(String authorization) {
		if (authorization == null || authorization.length() <= PREFIX.length()
				|| !authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
			throw new TokenInvalidException("A bearer token is required");
		}
		return authorization.substring(PREFIX.length()).strip();
	}

}
