package org.statemigration.smp.store;

/**
 * Where an association's current version lies, as the storage API names locations.
 * @param location a folder's absolute path, or an S3 location's {@code s3://bucket/prefix}
 * @param kind {@code folder} or {@code s3}
 * @param sizeBytes the size of the version's plaintext
 */
public record StoreLocation(String location, String kind, long sizeBytes) {
}
