package org.statemigration.smp.scrub;

import java.time.Instant;
import java.util.UUID;

/**
 * A committed version that a check found damaged, and that is not handed out while it is marked.
 * @param verdict what was found, as {@link org.statemigration.smp.store.StoreCheck.Verdict#slug()} writes it
 * @param segment the segment that failed authentication, from 0, if that is what was found
 * @param foundBy who found it: the scheduled scrub on a node, the verify command, or an operator's check
 */
public record DamagedStore(UUID storeId, UUID associationId, long version, String verdict, Long segment,
		String detail, Instant foundAt, String foundBy) {

	/** What is wrong, in words. */
	public String describe() {
		return this.verdict + ": " + this.detail;
	}

}
