package org.statemigration.smp.store.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.statemigration.smp.support.EmptyDatabases;
import org.statemigration.smp.support.OnBothDatabases;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A capture's client slot kept without the storage folders' lock, on H2 and on PostgreSQL: an extension and a count
 * of clients that meet on the same reservation as it runs out. Either the count deletes the reservation first and
 * the extension finds nothing (its request then takes the lock and counts), or the extension commits first and the
 * count, which waited for it, sees a live reservation. A slot can never be both extended and left out of a count.
 */
@OnBothDatabases
class IdleReservationIntegrationTests {

	@RegisterExtension
	static final EmptyDatabases databases = new EmptyDatabases("smp_idle_reservation");

	private static final String FOLDER = "/stores";

	private final Instant start = Instant.now().truncatedTo(ChronoUnit.MILLIS);

	private final UUID association = UUID.randomUUID();

	private final ExecutorService threads = Executors.newFixedThreadPool(2);

	private ReservationRepository reservations;

	private TransactionTemplate transactions;

	private UUID reservation;

	@BeforeEach
	void prepare() {
		DataSource database = databases.migrated();
		this.reservations = new ReservationRepository(JdbcClient.create(database));
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(database));
		this.reservations.registerFolder(FOLDER, this.start);
		this.reservation = UUID.randomUUID();
		this.reservations.insert(new Reservation(this.reservation, this.association, null, FOLDER, 0), "node-one",
				this.start, at(10));
	}

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void aCountWaitsForAnExtensionUnderWayAndCountsTheSlot() throws Exception {
		CountDownLatch extended = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		CompletableFuture<Boolean> extension = inTransaction(() -> {
			boolean found = this.reservations.extendIdle(this.association, at(5), at(300));
			extended.countDown();
			await(commit);
			return found;
		});
		assertThat(extended.await(10, TimeUnit.SECONDS)).isTrue();
		// a count as of 60 s, when the reservation as last committed has run out
		CompletableFuture<List<Reservation>> count = inTransaction(() -> {
			this.reservations.lockFolders();
			this.reservations.deleteExpiredIdle(at(60));
			return this.reservations.active(at(60));
		});
		Thread.sleep(300);
		assertThat(count).as("the count waits for the extension's transaction").isNotDone();
		commit.countDown();
		assertThat(extension.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(count.get(10, TimeUnit.SECONDS)).extracting(Reservation::id).containsExactly(this.reservation);
	}

	@Test
	void anExtensionAfterACountDeletedTheSlotFindsNothing() throws Exception {
		CountDownLatch deleted = new CountDownLatch(1);
		CountDownLatch commit = new CountDownLatch(1);
		CompletableFuture<Integer> count = inTransaction(() -> {
			this.reservations.lockFolders();
			int gone = this.reservations.deleteExpiredIdle(at(60));
			deleted.countDown();
			await(commit);
			return gone;
		});
		assertThat(deleted.await(10, TimeUnit.SECONDS)).isTrue();
		// a server whose clock reads 5 s, when the reservation was still live
		CompletableFuture<Boolean> extension = inTransaction(
				() -> this.reservations.extendIdle(this.association, at(5), at(300)));
		Thread.sleep(300);
		assertThat(extension).as("the extension waits for the count's transaction").isNotDone();
		commit.countDown();
		assertThat(count.get(10, TimeUnit.SECONDS)).isOne();
		assertThat(extension.get(10, TimeUnit.SECONDS)).as("nothing left to extend").isFalse();
		assertThat(this.reservations.active(this.start)).isEmpty();
	}

	@Test
	void anExtensionNeverShortensAndOnlyALiveIdleSlotIsExtended() {
		assertThat(this.reservations.extendIdle(this.association, this.start, at(300))).isTrue();
		assertThat(this.reservations.extendIdle(this.association, this.start, at(100)))
			.as("from a server whose clock is behind")
			.isTrue();
		assertThat(this.reservations.active(at(200))).extracting(Reservation::id).containsExactly(this.reservation);
		assertThat(this.reservations.extendIdle(this.association, at(301), at(600))).as("run out").isFalse();
		assertThat(this.reservations.extendIdle(UUID.randomUUID(), this.start, at(600))).as("another association")
			.isFalse();
		this.reservations.update(this.reservation, UUID.randomUUID(), 4096, "node-one", at(400));
		assertThat(this.reservations.extendIdle(this.association, this.start, at(600))).as("holds an upload")
			.isFalse();
	}

	@Test
	void aCountDeletesOnlyIdleSlotsThatRanOut() {
		UUID uploading = UUID.randomUUID();
		this.reservations.insert(new Reservation(uploading, UUID.randomUUID(), UUID.randomUUID(), FOLDER, 4096),
				"node-one", this.start, at(10));
		UUID live = UUID.randomUUID();
		this.reservations.insert(new Reservation(live, UUID.randomUUID(), null, FOLDER, 0), "node-one", this.start,
				at(120));
		assertThat(this.reservations.deleteExpiredIdle(at(10))).as("the idle slot that ran out at 10 s").isOne();
		assertThat(this.reservations.find(this.reservation)).isEmpty();
		assertThat(this.reservations.find(uploading)).as("an upload's, left to the disposal of its blob").isPresent();
		assertThat(this.reservations.find(live)).isPresent();
	}

	private <T> CompletableFuture<T> inTransaction(Supplier<T> work) {
		return CompletableFuture.supplyAsync(() -> this.transactions.execute((status) -> work.get()), this.threads);
	}

	private Instant at(long seconds) {
		return this.start.plus(Duration.ofSeconds(seconds));
	}

	private static void await(CountDownLatch latch) {
		try {
			if (!latch.await(10, TimeUnit.SECONDS)) {
				throw new IllegalStateException("not released in time");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
