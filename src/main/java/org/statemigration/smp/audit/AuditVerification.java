package org.statemigration.smp.audit;

/**
 * The result of checking the audit log against its chain, its head and the audit file.
 * @param valid whether nothing was found wrong
 * @param events how many events the chain holds (the head's sequence number)
 * @param firstInvalidSeq the sequence number of the first event found edited, forged, removed, moved or missing
 * (null when valid)
 * @param reason what is wrong there, in words (null when valid)
 * @param keyedFromSeq the first sequence number of the keyed chain (HMAC-SHA-256); events before it were written
 * by a version that chained plain SHA-256 hashes, and are checked as such
 * @param fileEvents how many lines of the audit file were compared with the database
 */
public record AuditVerification(boolean valid, long events, Long firstInvalidSeq, String reason, long keyedFromSeq,
		long fileEvents) {
}
