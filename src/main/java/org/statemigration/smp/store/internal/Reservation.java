package org.statemigration.smp.store.internal;

import java.nio.file.Path;
import java.util.UUID;

/**
 * Room taken in a storage folder for an association: a client slot from request-state-store on, and the bytes of
 * an upload once it starts.
 */
public record Reservation(UUID id, UUID associationId, UUID storeId, Path folder, long bytes) {
}
