/**
 * Backup and restore of a whole smp, as commands ({@code java -jar smp.jar backup --to DIR},
 * {@code restore-backup --from DIR}): one consistent snapshot of every table that holds state, written in a form
 * that loads into H2 or PostgreSQL, every committed state store's blob copied as it is (still encrypted), the audit
 * file, optionally the keys encrypted under a passphrase, and a manifest with every file's size and SHA-256 that a
 * restore checks before it changes anything. Owns no table of its own.
 */
package org.statemigration.smp.backup;
