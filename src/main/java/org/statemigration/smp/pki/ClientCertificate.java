package org.statemigration.smp.pki;

import java.time.Instant;

/**
 * A client certificate issued to a computer, as operators see it.
 */
public record ClientCertificate(String serial, String thumbprint, Instant notBefore, Instant notAfter, boolean blocked,
		Instant blockedAt, String blockedReason, Instant issuedAt) {
}
