/**
 * Key rotation, run as a command ({@code java -jar smp.jar keys rotate}, {@code keys status}) rather than by the
 * server: adds a key-encryption key version to the master key file, re-wraps every stored secret (data keys,
 * association keys, token-signing keys, the client CA key) under it without touching the blobs, starts a new
 * token-signing key and audits the rotation.
 */
package org.statemigration.smp.keys;
