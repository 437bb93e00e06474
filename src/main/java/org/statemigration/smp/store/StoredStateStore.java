package org.statemigration.smp.store;

import java.util.UUID;

/**
 * The committed version of an association's state store.
 * @param sha256 lowercase hex SHA-256 of the plaintext
 */
public record StoredStateStore(UUID id, UUID associationId, long version, long sizeBytes, String sha256) {
}
