package org.statemigration.smp.config;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbc.JdbcConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.datasource.DelegatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Connections handed out in the order they were asked for, each turn given back once. */
class FairConnectionQueueTests {

	private final HikariDataSource pool = pool(2);

	@AfterEach
	void close() {
		this.pool.close();
	}

	@Test
	void waitingRequestsGetTheirConnectionsInTheOrderTheyAsked() throws Exception {
		FairConnectionQueue queue = new FairConnectionQueue(this.pool, 1, 10_000);
		Connection held = queue.getConnection();
		List<String> served = new CopyOnWriteArrayList<>();
		List<Thread> waiting = new ArrayList<>();
		for (String name : List.of("first", "second", "third", "fourth", "fifth")) {
			waiting.add(queued(queue, served, name));
		}
		held.close();
		for (Thread thread : waiting) {
			thread.join(10_000);
		}
		assertThat(served).containsExactly("first", "second", "third", "fourth", "fifth");
	}

	@Test
	void aThreadThatAsksAgainAndAgainDoesNotGoAheadOfOneThatWaits() throws Exception {
		FairConnectionQueue queue = new FairConnectionQueue(this.pool, 1, 10_000);
		List<String> served = new CopyOnWriteArrayList<>();
		CountDownLatch waiterQueued = new CountDownLatch(1);
		// as a busy server thread does: gives its connection back and at once asks for one again
		Thread busy = new Thread(() -> {
			try {
				for (int i = 0; i < 20; i++) {
					try (Connection connection = queue.getConnection()) {
						served.add("busy");
						if (i == 0) {
							waiterQueued.await();
						}
					}
				}
			}
			catch (SQLException | InterruptedException ex) {
				served.add("busy failed: " + ex);
			}
		}, "busy");
		busy.start();
		while (served.isEmpty()) {
			Thread.sleep(5);
		}
		Thread waiter = queued(queue, served, "waiter");
		waiterQueued.countDown();
		busy.join(10_000);
		waiter.join(10_000);
		assertThat(served).hasSize(21);
		assertThat(served.subList(0, 2)).containsExactly("busy", "waiter");
	}

	@Test
	void aRequestWaitsAtMostTheTimeoutAndIsThenToldTheDatabaseIsUnavailable() throws Exception {
		FairConnectionQueue queue = new FairConnectionQueue(this.pool, 1, 200);
		try (Connection held = queue.getConnection()) {
			long start = System.nanoTime();
			assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(queue::getConnection)
				.withMessageContaining("within 200 ms")
				.satisfies((ex) -> assertThat(DatabaseFailures.isUnavailable(ex)).isTrue());
			assertThat((System.nanoTime() - start) / 1_000_000).isBetween(190L, 5_000L);
		}
		// the turn came back with the close
		try (Connection again = queue.getConnection()) {
			assertThat(again.isValid(1)).isTrue();
		}
	}

	@Test
	void aConnectionClosedTwiceGivesItsTurnBackOnce() throws Exception {
		FairConnectionQueue queue = new FairConnectionQueue(this.pool, 1, 200);
		Connection connection = queue.getConnection();
		connection.close();
		connection.close();
		try (Connection first = queue.getConnection()) {
			assertThatExceptionOfType(SQLTransientConnectionException.class).isThrownBy(queue::getConnection);
		}
	}

	@Test
	void aPoolThatFailsGivesTheTurnBack() throws Exception {
		AtomicReference<Boolean> fail = new AtomicReference<>(true);
		DataSource failing = new DelegatingDataSource(this.pool) {
			@Override
			public Connection getConnection() throws SQLException {
				if (fail.get()) {
					throw new SQLTransientConnectionException("the database is down");
				}
				return super.getConnection();
			}
		};
		FairConnectionQueue queue = new FairConnectionQueue(failing, 1, 200);
		assertThatExceptionOfType(SQLException.class).isThrownBy(queue::getConnection)
			.withMessage("the database is down");
		fail.set(false);
		try (Connection connection = queue.getConnection()) {
			assertThat(connection.isValid(1)).isTrue();
		}
	}

	@Test
	void connectionsWorkAsThePoolsDoAndCompareByIdentity() throws Exception {
		FairConnectionQueue queue = new FairConnectionQueue(this.pool, 2, 1_000);
		try (Connection one = queue.getConnection(); Connection two = queue.getConnection()) {
			assertThat(one).isEqualTo(one).isNotEqualTo(two);
			assertThat(one.hashCode()).isEqualTo(System.identityHashCode(one));
			assertThat(one.isWrapperFor(JdbcConnection.class)).isTrue();
			try (var statement = one.createStatement(); var result = statement.executeQuery("SELECT 41 + 1")) {
				assertThat(result.next()).isTrue();
				assertThat(result.getInt(1)).isEqualTo(42);
			}
		}
		// Spring's transaction code takes and gives back connections through DataSourceUtils
		for (int i = 0; i < 3; i++) {
			Connection spring = DataSourceUtils.getConnection(queue);
			DataSourceUtils.releaseConnection(spring, queue);
		}
		assertThat(this.pool.getHikariPoolMXBean().getActiveConnections()).isZero();
	}

	@Test
	void closingTheQueueClosesThePool() throws Exception {
		FairConnectionQueue queue = new FairConnectionQueue(this.pool, 2, 1_000);
		queue.close();
		assertThat(this.pool.isClosed()).isTrue();
	}

	/** A thread that asks for a connection, once it waits for it: it adds its name once served. */
	private static Thread queued(FairConnectionQueue queue, List<String> served, String name)
			throws InterruptedException {
		Thread thread = new Thread(() -> {
			try (Connection connection = queue.getConnection()) {
				served.add(name);
			}
			catch (SQLException ex) {
				served.add(name + " failed: " + ex);
			}
		}, name);
		thread.start();
		awaitWaiting(thread);
		return thread;
	}

	private static void awaitWaiting(Thread thread) throws InterruptedException {
		long deadline = System.nanoTime() + 10_000_000_000L;
		while (thread.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
			Thread.sleep(5);
		}
		assertThat(thread.getState()).isEqualTo(Thread.State.TIMED_WAITING);
	}

	private static HikariDataSource pool(int size) {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:h2:mem:fair-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
		pool.setMaximumPoolSize(size);
		pool.setConnectionTimeout(1_000);
		return pool;
	}

}
