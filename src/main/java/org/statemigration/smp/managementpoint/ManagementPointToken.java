package org.statemigration.smp.managementpoint;

import java.time.Instant;
import java.util.UUID;

/**
 * The verified claims of a management-point token.
 * @param computerName {@code sub}
 * @param thumbprint {@code cnf.x5t#S256}, as lowercase hex
 */
public record ManagementPointToken(String jti, String computerName, UUID associationId, Operation operation,
		String thumbprint, Instant expiresAt) {
}
