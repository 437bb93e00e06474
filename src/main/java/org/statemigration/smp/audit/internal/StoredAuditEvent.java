package org.statemigration.smp.audit.internal;

import org.statemigration.smp.audit.AuditEvent;

/**
 * An audit event as stored, with the hashes that chain it to the one before.
 * @param outcome the outcome as stored (the event's own is null if the stored one is none of ours)
 * @param keyVersion the key version whose audit key MACed it, or {@code null} for an event of the unkeyed chain
 * that older versions wrote (a plain SHA-256 hash)
 */
public record StoredAuditEvent(AuditEvent event, String outcome, String prevHash, String hash, Integer keyVersion) {

	/** Whether the stored hash is the plain SHA-256 its fields and the given previous hash give. */
	public boolean hashMatches(String previous) {
		AuditEvent e = this.event;
		return AuditRepository.hash(previous, e.seq(), e.at(), e.actor(), e.action(), e.target(), this.outcome,
				e.detail(), e.remoteAddress())
			.equals(this.hash);
	}

	/** Whether the stored hash is the MAC its fields and the given previous hash give under its key version. */
	boolean macMatches(String previous, AuditKeys keys) {
		AuditEvent e = this.event;
		return keys.matches(this.keyVersion, ChainEncoding.encode(previous, e.seq(), e.at(), e.actor(), e.action(),
				e.target(), this.outcome, e.detail(), e.remoteAddress()), this.hash);
	}

}
