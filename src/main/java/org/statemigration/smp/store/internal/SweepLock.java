package org.statemigration.smp.store.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The lock that lets one server of those sharing the database sweep the S3 locations at a time: a row of the
 * {@code shedlock} table (ShedLock), taken until the database's own clock passes {@code lock-at-most-for} from now,
 * so that the servers' clocks do not matter. A sweep renews it while it runs; a server that dies mid-sweep leaves it
 * to expire, and another sweeps at its next turn after that. Released, it stays taken until
 * {@code lock-at-least-for} after it was taken. The row names the server that took it last (its node id).
 */
@Component
public class SweepLock {

	/** The name of the lock's row. */
	public static final String NAME = "smp-s3-sweep";

	private final LockProvider provider;

	private final Duration atMost;

	private final Duration atLeast;

	private final Clock clock;

	public SweepLock(DataSource database, NodeIdentity node, StoreProperties properties, Clock clock) {
		this.provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(database))
			.withTableName("shedlock")
			.withLockedByValue(node.id())
			.usingDbTime()
			.build());
		this.atMost = properties.storage().sweep().lockAtMostFor();
		this.atLeast = properties.storage().sweep().lockAtLeastFor();
		this.clock = clock;
	}

	/** How long the lock holds without being renewed. */
	public Duration atMost() {
		return this.atMost;
	}

	/** Takes the lock, unless another server holds it (or released it less than {@code lock-at-least-for} ago). */
	public Optional<Held> tryTake() {
		Instant now = this.clock.instant();
		return this.provider.lock(new LockConfiguration(now, NAME, this.atMost, this.atLeast))
			.map((lock) -> new Held(lock, now));
	}

	/** The lock, held. Closing it releases it. */
	public final class Held implements AutoCloseable {

		private SimpleLock lock;

		private Instant renewedAt;

		private Held(SimpleLock lock, Instant takenAt) {
			this.lock = lock;
			this.renewedAt = takenAt;
		}

		/**
		 * Renews the lock once a third of its time has passed, so that it outlasts a sweep of any length.
		 * @return false if the lock was lost: it expired and another server may have taken it, so the sweep stops
		 */
		public boolean keep() {
			if (this.lock == null) {
				return false;
			}
			Instant now = SweepLock.this.clock.instant();
			if (Duration.between(this.renewedAt, now).compareTo(SweepLock.this.atMost.dividedBy(3)) < 0) {
				return true;
			}
			Optional<SimpleLock> renewed = this.lock.extend(SweepLock.this.atMost, SweepLock.this.atLeast);
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
