package org.statemigration.smp.scrub;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;

import org.statemigration.smp.store.StoreIntegrity;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The lock that lets one server of those sharing the database run the scheduled scrub at a time: its own row of
 * the {@code shedlock} table (ShedLock), beside the sweep's, taken until the database's own clock passes
 * {@code lock-at-most-for} from now, in the name of this server's node id (not its host's name: two servers on one
 * host would each renew the other's lock). A pass renews it while it runs; a server that dies mid-pass leaves it to
 * expire, and another goes on with the pass at its next turn after that.
 */
@Component
class ScrubLock {

	/** The name of the lock's row. */
	static final String NAME = "smp-scrub";

	private final LockProvider provider;

	private final Duration atMost;

	private final Duration atLeast;

	private final Clock clock;

	ScrubLock(DataSource database, StoreIntegrity node, ScrubProperties properties, Clock clock) {
		this.provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(database))
			.withTableName("shedlock")
			.withLockedByValue(node.nodeId())
			.usingDbTime()
			.build());
		this.atMost = properties.lockAtMostFor();
		this.atLeast = properties.lockAtLeastFor();
		this.clock = clock;
	}

	Duration atMost() {
		return this.atMost;
	}

	/** Takes the lock, unless another server holds it (or released it less than {@code lock-at-least-for} ago). */
	Optional<Held> tryTake() {
		Instant now = this.clock.instant();
		return this.provider.lock(new LockConfiguration(now, NAME, this.atMost, this.atLeast))
			.map((lock) -> new Held(lock, now));
	}

	/** The lock, held. Closing it releases it. */
	final class Held implements AutoCloseable {

		private SimpleLock lock;

		private Instant renewedAt;

		private Held(SimpleLock lock, Instant takenAt) {
			this.lock = lock;
			this.renewedAt = takenAt;
		}

		/**
		 * Renews the lock once a third of its time has passed, so that it outlasts a pass of any length.
		 * @return false if the lock was lost: it expired and another server may have taken it, so the pass stops
		 */
		boolean keep() {
			if (this.lock == null) {
				return false;
			}
			Instant now = ScrubLock.this.clock.instant();
			if (Duration.between(this.renewedAt, now).compareTo(ScrubLock.this.atMost.dividedBy(3)) < 0) {
				return true;
			}
			Optional<SimpleLock> renewed = this.lock.extend(ScrubLock.this.atMost, ScrubLock.this.atLeast);
			this.lock = renewed.orElse(null);
			this.renewedAt = now;
			return this.lock != null;
		}

		@Override
		public void close() {
			if (this.lock != null) {
				this.lock.unlock();
				this.lock = null;
			}
		}

	}

}
