package org.statemigration.smp.store;

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

/**
 * The lock that lets one server of those sharing the database run a periodic job at a time: a row of the
 * {@code shedlock} table (ShedLock) of the job's name, taken until the database's own clock passes
 * {@code lock-at-most-for} from now, so that the servers' clocks do not matter. The job renews it while it runs; a
 * server that dies mid-run leaves it to expire, and another runs the job at its next turn after that. Released, it
 * stays taken until {@code lock-at-least-for} after it was taken. The row names the server that took it last by its
 * node id, not by its host's name: two servers on one host would each renew the other's lock.
 */
public class JobLock {

	private final String name;

	private final LockProvider provider;

	private final Duration atMost;

	private final Duration atLeast;

	private final Clock clock;

	/**
	 * @param name the name of the lock's row
	 * @param nodeId the id of this server among those sharing the database
	 * @param atMost how long the lock holds without being renewed
	 * @param atLeast how long after it was taken a released lock stays taken
	 */
	protected JobLock(DataSource database, String name, String nodeId, Duration atMost, Duration atLeast,
			Clock clock) {
		this.name = name;
		this.provider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
			.withJdbcTemplate(new JdbcTemplate(database))
			.withTableName("shedlock")
			.withLockedByValue(nodeId)
			.usingDbTime()
			.build());
		this.atMost = atMost;
		this.atLeast = atLeast;
		this.clock = clock;
	}

	/** How long the lock holds without being renewed. */
	public Duration atMost() {
		return this.atMost;
	}

	/** Takes the lock, unless another server holds it (or released it less than {@code lock-at-least-for} ago). */
	public Optional<Held> tryTake() {
		Instant now = this.clock.instant();
		return this.provider.lock(new LockConfiguration(now, this.name, this.atMost, this.atLeast))
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
		 * Renews the lock once a third of its time has passed, so that it outlasts a run of any length.
		 * @return false if the lock was lost: it expired and another server may have taken it, so the job stops
		 */
		public boolean keep() {
			if (this.lock == null) {
				return false;
			}
			Instant now = JobLock.this.clock.instant();
			if (Duration.between(this.renewedAt, now).compareTo(JobLock.this.atMost.dividedBy(3)) < 0) {
				return true;
			}
			Optional<SimpleLock> renewed = this.lock.extend(JobLock.this.atMost, JobLock.this.atLeast);
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
