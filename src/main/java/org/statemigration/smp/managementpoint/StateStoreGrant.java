package org.statemigration.smp.managementpoint;

import java.time.Instant;
import java.util.UUID;

import org.statemigration.smp.association.UserAccounts;

/**
 * The answer to request-state-store: where the store is, the token to use it, and the encryption key for the
 * user-state tool. Holds secrets: never log it.
 */
public record StateStoreGrant(UUID associationId, Operation operation, String token, Instant expiresAt,
		String storeUrl, String encryptionKey, String keyAlgorithm, UserAccounts userAccounts) {

	@Override
	public String toString() {
		return "StateStoreGrant[" + this.associationId + ", " + this.operation + "]";
	}

}
