package org.statemigration.smp.managementpoint;

import java.time.Instant;

/** A signed token and when it expires. The token is a secret: never log it. */
public record IssuedToken(String token, Instant expiresAt) {

	@Override
	public String toString() {
		return "IssuedToken[****, expiresAt=" + this.expiresAt + "]";
	}

}
