package org.statemigration.smp.store;

/**
 * What a chunk of a resumable upload came to: the upload with its new offset, and, when that chunk completed it,
 * the verified version ready to be committed (null otherwise).
 */
public record ChunkAppended(ResumableUpload upload, PendingStateStore completed) {
}
