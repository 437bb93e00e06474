package org.statemigration.smp.audit.internal;

import java.time.Instant;

import org.statemigration.smp.audit.AuditOutcome;

/**
 * An event to append to the audit log, as its caller described it: who, what, on what, how it ended, and when and
 * from where. Its sequence number and MAC are given when it is appended.
 */
public record NewAuditEvent(String actor, String action, String target, AuditOutcome outcome, String detail,
		String remoteAddress, Instant at) {
}
