package org.statemigration.smp.store.blob;

import java.util.UUID;

/**
 * What a blob is stored under: one stored version of an association's store. Every object of the version (its
 * blob, unfinished or committed, its small objects and its scratch) is found through it.
 */
public record BlobKey(UUID associationId, UUID storeId) {
}
