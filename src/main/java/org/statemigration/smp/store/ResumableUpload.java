package org.statemigration.smp.store;

import java.time.Instant;
import java.util.UUID;

/**
 * A resumable upload as its client sees it: how long the blob is, how many of its bytes are durable, and when the
 * upload expires if nothing more arrives.
 */
public record ResumableUpload(UUID id, UUID associationId, long length, long offset, Instant expiresAt) {
}
