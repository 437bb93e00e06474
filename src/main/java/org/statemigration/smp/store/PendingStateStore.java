package org.statemigration.smp.store;

import java.util.UUID;

/**
 * A version that is written, verified and durable on disk, but not yet the association's current one: commit it
 * with {@link StateStores#commit} or throw it away with {@link StateStores#discard}.
 */
public record PendingStateStore(UUID id, UUID associationId, long version, long sizeBytes, String sha256) {
}
