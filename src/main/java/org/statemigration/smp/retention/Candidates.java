package org.statemigration.smp.retention;

import java.util.List;
import java.util.UUID;
import java.util.function.IntFunction;
import java.util.function.Predicate;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Works through candidates batch by batch. Each candidate is acted on in a transaction of its own, which claims
 * it first; a candidate that cannot be claimed (another server has it, or it is no longer due) is passed over. A
 * batch in which nothing could be claimed ends the work: what is left belongs to other servers or to the next pass.
 */
final class Candidates {

	static final int BATCH = 100;

	private static final Log logger = LogFactory.getLog(Candidates.class);

	private Candidates() {
	}

	/**
	 * @param batches the next candidates, at most the given number
	 * @param act claims and acts on one candidate; true if it did
	 * @return how many candidates were acted on
	 */
	static int process(String what, IntFunction<List<UUID>> batches, Predicate<UUID> act) {
		int done = 0;
		while (true) {
			List<UUID> batch = batches.apply(BATCH);
			int claimed = 0;
			for (UUID id : batch) {
				try {
					if (act.test(id)) {
						claimed++;
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Retention could not " + what + " of association " + id + "; the next pass tries again",
							ex);
				}
			}
			done += claimed;
			if (batch.size() < BATCH || claimed == 0) {
				return done;
			}
		}
	}

}
