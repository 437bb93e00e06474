/**
 * Cryptography of smp: the versioned key-encryption keys of the master key file, the random data key of each
 * stored version, and the segmented AES-256-GCM stream format in which blobs are stored, encrypted in one pass or
 * in pieces across requests (a resumable upload's file) and decrypted by byte range, with every segment
 * authenticated before any of its bytes is released.
 */
package org.statemigration.smp.crypto;
