package org.statemigration.smp.store.internal;

import java.time.Clock;

import javax.sql.DataSource;

import org.statemigration.smp.store.JobLock;

import org.springframework.stereotype.Component;

/**
 * The lock that lets one server of those sharing the database sweep the S3 locations at a time: its own row of
 * the {@code shedlock} table. A sweep renews it while it runs; a server that dies mid-sweep leaves it to expire,
 * and another sweeps at its next turn after that.
 */
@Component
public class SweepLock extends JobLock {

	/** The name of the lock's row. */
	public static final String NAME = "smp-s3-sweep";

	public SweepLock(DataSource database, NodeIdentity node, StoreProperties properties, Clock clock) {
		super(database, NAME, node.id(), properties.storage().sweep().lockAtMostFor(),
				properties.storage().sweep().lockAtLeastFor(), clock);
	}

}
