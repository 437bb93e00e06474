package org.statemigration.smp.audit;

import java.util.List;

/** One page of audit events, newest first. */
public record AuditPage(List<AuditEvent> items, int page, int size, long total) {
}
