package org.statemigration.smp.problem;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.statemigration.smp.support.EmptyDatabases;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestClock;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failed attempts counted in a table of the database, on H2 and on PostgreSQL: the bar, its window and duration,
 * failures from two servers (two counters on one database) and from many threads at once adding up, and the sweep
 * that keeps the table bounded.
 */
@OnBothDatabases
class FailedAttemptsIntegrationTests {

	@RegisterExtension
	static final EmptyDatabases databases = new EmptyDatabases("smp_failed_attempts");

	private final TestClock clock = new TestClock();

	private JdbcClient jdbc;

	private TransactionTemplate transactions;

	private FailedAttempts attempts;

	@BeforeEach
	void migrate() {
		DataSource database = databases.migrated();
		this.jdbc = JdbcClient.create(database);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
		this.attempts = counter(2);
	}

	private FailedAttempts counter(int maxKeys) {
		return new FailedAttempts(this.jdbc, this.transactions, "enrollment_failure", 3, Duration.ofMinutes(10),
				Duration.ofMinutes(15), maxKeys, this.clock);
	}

	@Test
	void barsAKeyAfterTheLimitForTheBarDuration() {
		assertThat(this.attempts.recordFailure("a")).isFalse();
		assertThat(this.attempts.recordFailure("a")).isFalse();
		assertThat(this.attempts.recordFailure("a")).as("the failure that bars").isTrue();
		assertThat(this.attempts.barred("a")).hasValueSatisfying((wait) -> assertThat(wait)
			.isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15)));
		this.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		assertThat(this.attempts.barred("a")).isEmpty();
	}

	@Test
	void failuresOutsideTheWindowDoNotAddUp() {
		fail(this.attempts, "a", 2);
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		fail(this.attempts, "a", 2);
		assertThat(this.attempts.barred("a")).isEmpty();
		fail(this.attempts, "a", 1);
		assertThat(this.attempts.barred("a")).isPresent();
	}

	@Test
	void failuresWhileBarredDoNotExtendTheBarAndAfterItCountingStartsAgain() {
		fail(this.attempts, "a", 3);
		this.clock.advance(Duration.ofMinutes(14));
		assertThat(this.attempts.recordFailure("a")).isFalse();
		fail(this.attempts, "a", 4);
		this.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
		assertThat(this.attempts.barred("a")).isEmpty();
		fail(this.attempts, "a", 2);
		assertThat(this.attempts.barred("a")).isEmpty();
	}

	@Test
	void keysAreCountedApartAndForgotten() {
		fail(this.attempts, "a", 3);
		fail(this.attempts, "b", 2);
		assertThat(this.attempts.barred("b")).isEmpty();
		this.attempts.forget("a");
		assertThat(this.attempts.barred("a")).isEmpty();
		assertThat(rows()).isEqualTo(1);
	}

	@Test
	void failuresOnTwoServersAddUp() {
		FailedAttempts other = counter(2);
		this.attempts.recordFailure("a");
		other.recordFailure("a");
		assertThat(this.attempts.barred("a")).isEmpty();
		assertThat(this.attempts.recordFailure("a")).isTrue();
		assertThat(other.barred("a")).isPresent();
	}

	@Test
	void failuresAtOnceAreEachCountedAndBarOnce() {
		FailedAttempts many = new FailedAttempts(this.jdbc, this.transactions, "enrollment_failure", 20,
				Duration.ofMinutes(10), Duration.ofMinutes(15), 100, this.clock);
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			List<CompletableFuture<Boolean>> failures = IntStream.range(0, 40)
				.mapToObj((i) -> CompletableFuture.supplyAsync(() -> many.recordFailure("a"), threads))
				.toList();
			long barring = failures.stream().filter(CompletableFuture::join).count();
			assertThat(barring).as("failures that barred the key").isEqualTo(1);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(this.jdbc.sql("SELECT failures FROM enrollment_failure WHERE failure_key = 'a'")
			.query(Integer.class)
			.single()).isEqualTo(20);
	}

	@Test
	void theSweepDeletesWhatNoLongerCountsAndKeepsTheTableBounded() {
		fail(this.attempts, "old", 1);
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		fail(this.attempts, "barred", 3);
		fail(this.attempts, "b", 1);
		fail(this.attempts, "c", 1);
		fail(this.attempts, "d", 1);

		assertThat(this.attempts.sweep()).isEqualTo(3);

		assertThat(rows()).isEqualTo(2);
		assertThat(this.attempts.barred("barred")).as("a bar outlives unbarred keys").isPresent();
		this.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		this.attempts.sweep();
		assertThat(rows()).isZero();
	}

	private int rows() {
		return this.jdbc.sql("SELECT COUNT(*) FROM enrollment_failure").query(Integer.class).single();
	}

	private static void fail(FailedAttempts attempts, String key, int times) {
		for (int i = 0; i < times; i++) {
			attempts.recordFailure(key);
		}
	}

}
