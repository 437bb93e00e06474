package org.statemigration.smp.audit.internal;

import org.statemigration.smp.audit.AuditEvent;

/** An audit event as stored, with the hashes that chain it to the one before. */
public record StoredAuditEvent(AuditEvent event, String prevHash, String hash) {

	/** Whether the stored hash is the one its fields and the given previous hash give. */
	public boolean hashMatches(String previous) {
		AuditEvent e = this.event;
		return AuditRepository.hash(previous, e.seq(), e.at(), e.actor(), e.action(), e.target(), e.outcome().name(),
				e.detail(), e.remoteAddress())
			.equals(this.hash);
	}

}
