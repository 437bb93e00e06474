package org.statemigration.smp.store;

/**
 * The checksum a client sent with one chunk of a resumable upload.
 * @param algorithm the JDK digest name: {@code SHA-1} or {@code SHA-256}
 * @param digest the digest the chunk must have
 */
public record UploadChecksum(String algorithm, byte[] digest) {
}
