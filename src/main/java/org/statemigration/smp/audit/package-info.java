/**
 * The audit log: an append-only record of every security-relevant event (who, what, on what, with what outcome,
 * from where), each event chained to the one before by a SHA-256 hash, so that an edited, deleted or reordered
 * record is detected. Sensitive actions write their record in their own transaction and fail when it cannot be
 * written. No secret ever goes into a record.
 */
package org.statemigration.smp.audit;
