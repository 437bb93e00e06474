package org.statemigration.smp.audit;

import java.time.Instant;

/**
 * Which audit events to list: from (inclusive) and to (exclusive) a point in time, by one actor, of one action.
 * Null means no restriction.
 */
public record AuditFilter(Instant from, Instant to, String actor, String action) {
}
