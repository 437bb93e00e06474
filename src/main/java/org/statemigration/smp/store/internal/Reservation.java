package org.statemigration.smp.store.internal;

import java.util.UUID;

/**
 * Room taken in a storage location (recorded as the database records it) for an association: a client slot from request-state-store on, and the bytes of
 * an upload once it starts.
 */
public record Reservation(UUID id, UUID associationId, UUID storeId, String folder, long bytes) {
}
