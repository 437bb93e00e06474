package org.statemigration.smp.managementpoint;

import org.statemigration.smp.managementpoint.internal.TokenSigningKeys;

import org.springframework.stereotype.Service;

/**
 * The management point's part of key rotation: starts a new token-signing key. Older signing keys are not retired,
 * so tokens they signed stay valid until they expire.
 */
@Service
public class ManagementPointKeyRotation {

	private final TokenSigningKeys signingKeys;

	ManagementPointKeyRotation(TokenSigningKeys signingKeys) {
		this.signingKeys = signingKeys;
	}

	/**
	 * Creates a new token-signing key that signs every token issued from now on (by this process, and by servers
	 * started afterwards).
	 * @return the new key's id
	 */
	public String newTokenSigningKey() {
		return this.signingKeys.rotate();
	}

}
