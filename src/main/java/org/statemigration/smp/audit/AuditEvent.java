package org.statemigration.smp.audit;

import java.time.Instant;

/**
 * One record of the audit log, as the API shows it.
 */
public record AuditEvent(long seq, Instant at, String actor, String action, String target, AuditOutcome outcome,
		String detail, String remoteAddress) {
}
