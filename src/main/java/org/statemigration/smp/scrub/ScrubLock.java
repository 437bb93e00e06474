package org.statemigration.smp.scrub;

import java.time.Clock;

import javax.sql.DataSource;

import org.statemigration.smp.store.JobLock;
import org.statemigration.smp.store.StoreIntegrity;

import org.springframework.stereotype.Component;

/**
 * The lock that lets one server of those sharing the database run the scheduled scrub at a time: its own row of
 * the {@code shedlock} table, beside the sweep's. A pass renews it while it runs; a server that dies mid-pass
 * leaves it to expire, and another goes on with the pass at its next turn after that.
 */
@Component
class ScrubLock extends JobLock {

	/** The name of the lock's row. */
	static final String NAME = "smp-scrub";

	ScrubLock(DataSource database, StoreIntegrity node, ScrubProperties properties, Clock clock) {
		super(database, NAME, node.nodeId(), properties.lockAtMostFor(), properties.lockAtLeastFor(), clock);
	}

}
