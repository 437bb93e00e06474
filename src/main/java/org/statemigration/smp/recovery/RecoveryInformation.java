package org.statemigration.smp.recovery;

import java.util.UUID;

/**
 * What a recovery viewer needs to decrypt an association's data without the server: the association's encryption
 * key and its algorithm, and the current version's file and SHA-256 ({@code null} before any capture). A secret:
 * never log it.
 */
public record RecoveryInformation(UUID associationId, String encryptionKey, String keyAlgorithm, String storeLocation,
		String storeSha256) {

	@Override
	public String toString() {
		return "RecoveryInformation[" + this.associationId + ", " + this.keyAlgorithm + ", ****]";
	}

}
