/**
 * State stores on disk: storage folders and placement, the encrypted streaming write and read of a store's data
 * in the segmented format of the {@code crypto} module, the quota on a store's size, integrity (SHA-256 of the
 * plaintext), durable atomic replacement of one version by the next, and crypto-shredding on deletion.
 */
package org.statemigration.smp.store;
