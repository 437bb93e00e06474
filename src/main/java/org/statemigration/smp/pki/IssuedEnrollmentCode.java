package org.statemigration.smp.pki;

import java.time.Instant;

/**
 * A new one-time enrollment code: shown once, kept only as a hash. A secret until used: never log it.
 */
public record IssuedEnrollmentCode(String code, Instant expiresAt) {

	@Override
	public String toString() {
		return "IssuedEnrollmentCode[****, expiresAt=" + this.expiresAt + "]";
	}

}
