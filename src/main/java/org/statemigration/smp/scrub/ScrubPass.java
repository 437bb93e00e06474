package org.statemigration.smp.scrub;

import java.time.Instant;

/**
 * A pass of the scheduled scrub over every committed version: the last that ended, or the one under way.
 * @param finishedAt when it ended; null while it is under way
 * @param stores the versions checked
 * @param bytes the ciphertext bytes read
 * @param damaged the versions found damaged
 * @param unreadable the versions that could not be read (their location unreachable): checked again next pass
 * @param by the node that ended it
 */
public record ScrubPass(Instant startedAt, Instant finishedAt, long stores, long bytes, long damaged, long unreadable,
		String by) {

	/** The pass in words, for the audit log and the logs. */
	public String describe() {
		return this.stores + " version(s) checked, " + this.bytes + " byte(s) read, " + this.damaged + " damaged, "
				+ this.unreadable + " unreadable now";
	}

}
