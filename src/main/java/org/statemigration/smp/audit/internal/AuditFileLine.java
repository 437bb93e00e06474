package org.statemigration.smp.audit.internal;

/**
 * One line of the audit file: an event as committed, without its detail, with the MAC that chains it.
 */
record AuditFileLine(long seq, String at, String actor, String action, String target, String outcome,
		Integer keyVersion, String mac) {
}
