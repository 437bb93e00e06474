/**
 * State stores and where they are kept: storage folders and placement, each folder a blob store behind one port
 * that only ever sees ciphertext, the encrypted streaming write and read of a store's data in the segmented format
 * of the {@code crypto} module, single-request and resumable uploads, the quota on a store's size, integrity
 * (SHA-256 of the plaintext), durable atomic replacement of one version by the next, and crypto-shredding on
 * deletion.
 */
package org.statemigration.smp.store;
