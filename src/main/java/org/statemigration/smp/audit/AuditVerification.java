package org.statemigration.smp.audit;

/**
 * The result of walking the audit chain: whether it is intact, how many events it holds, and the sequence
 * number of the first event that was edited, removed or moved (null when the chain is intact).
 */
public record AuditVerification(boolean valid, long events, Long firstInvalidSeq) {
}
