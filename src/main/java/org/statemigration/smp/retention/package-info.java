/**
 * Retention: the scheduled cleanup that deletes restored data once its delete-after delay has passed (never
 * unrestored data, never data under legal hold), discards uploads left unfinished past the upload expiry, and
 * removes the records of associations whose data was deleted long enough ago. Safe to run on several servers
 * that share one database at the same time.
 */
package org.statemigration.smp.retention;
