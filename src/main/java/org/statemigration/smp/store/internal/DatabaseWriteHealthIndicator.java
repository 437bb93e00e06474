package org.statemigration.smp.store.internal;

import java.time.Clock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code database} health component: UP when the database commits a write now, DOWN otherwise. The write is
 * this server's heartbeat (see {@link NodeHeartbeatRepository}), nothing made up for the check. It goes DOWN
 * where the {@code db} component (a query) stays UP: an embedded database on a full disk answers reads until it
 * closes, and is opened again by the next connection only to fail at its next write.
 */
@Component("database")
class DatabaseWriteHealthIndicator implements HealthIndicator {

	private static final Log logger = LogFactory.getLog(DatabaseWriteHealthIndicator.class);

	private final NodeHeartbeatRepository heartbeats;

	private final NodeIdentity node;

	private final Clock clock;

	DatabaseWriteHealthIndicator(NodeHeartbeatRepository heartbeats, NodeIdentity node, Clock clock) {
		this.heartbeats = heartbeats;
		this.node = node;
		this.clock = clock;
	}

	@Override
	public Health health() {
		try {
			this.heartbeats.beat(this.node.id(), this.clock.instant());
			return Health.up().withDetail("writable", true).build();
		}
		catch (RuntimeException ex) {
			logger.debug("The database does not take a write", ex);
			return Health.down().withDetail("writable", false).withDetail("error", ex.getClass().getSimpleName()).build();
		}
	}

}
