package org.statemigration.smp.audit.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditProperties;
import org.statemigration.smp.audit.AuditVerification;
import org.statemigration.smp.audit.internal.AuditGroupCommit.AuditGroupCommitException;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.support.EmptyDatabases;
import org.statemigration.smp.support.OnBothDatabases;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.DefaultTransactionStatus;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Events that each need a transaction of their own, appended in groups, on H2 and on PostgreSQL: those that arrive
 * while the head is held are committed together once it is free, in one chain that verifies; an event the
 * database refuses fails alone; and when the head stays held too long, the waiting events fail and none is
 * written.
 */
@OnBothDatabases
class AuditGroupCommitIntegrationTests {

	@RegisterExtension
	static final EmptyDatabases databases = new EmptyDatabases("smp_audit_group_commit");

	private static final int CALLERS = 24;

	@TempDir
	Path temp;

	private final AtomicInteger commits = new AtomicInteger();

	private final ExecutorService threads = Executors.newFixedThreadPool(CALLERS + 1);

	private JdbcClient jdbc;

	private TransactionTemplate holder;

	private AuditGroupCommit groupCommit;

	private ChainVerifier verifier;

	@BeforeEach
	void prepare() {
		DataSource database = databases.migrated();
		this.jdbc = JdbcClient.create(database);
		DataSourceTransactionManager manager = new DataSourceTransactionManager(database) {
			@Override
			protected void doCommit(DefaultTransactionStatus status) {
				AuditGroupCommitIntegrationTests.this.commits.incrementAndGet();
				super.doCommit(status);
			}
		};
		this.holder = new TransactionTemplate(new DataSourceTransactionManager(database));
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(this.temp.resolve("master.key"));
		AuditProperties properties = new AuditProperties(Duration.ofSeconds(2), this.temp.resolve("audit/audit.log"));
		AuditKeys auditKeys = new AuditKeys(keys);
		AuditFile file = new AuditFile(properties);
		AuditRepository repository = new AuditRepository(this.jdbc,
				new AuditHeadLock(this.jdbc, database, properties), auditKeys, file);
		this.groupCommit = new AuditGroupCommit(repository, manager, properties);
		this.verifier = new ChainVerifier(new AuditQueries(this.jdbc), auditKeys, file);
	}

	@AfterEach
	void stopThreads() {
		this.threads.shutdownNow();
	}

	@Test
	void eventsThatWaitForTheHeadAreCommittedTogether() throws Exception {
		HeldHead head = holdTheHead();
		List<CompletableFuture<Void>> callers = new ArrayList<>();
		callers.add(append("computer-0"));
		// the first caller writes its event and waits for the head; every other one queues behind it
		waitUntil(() -> this.groupCommit.waiting() == 0 && !callers.get(0).isDone());
		for (int i = 1; i < CALLERS; i++) {
			String target = "computer-" + i;
			callers.add(append(target));
		}
		waitUntil(() -> this.groupCommit.waiting() == CALLERS - 1);
		head.release();
		CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

		assertThat(this.commits.get()).as("the first caller's event, then the rest in one group").isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_event").query(Long.class).single()).isEqualTo(CALLERS);
		assertThat(this.jdbc.sql("SELECT COUNT(DISTINCT target) FROM audit_event").query(Long.class).single())
			.isEqualTo(CALLERS);
		AuditVerification verification = this.verifier.verify();
		assertThat(verification.valid()).as("%s", verification).isTrue();
		assertThat(verification.events()).isEqualTo(CALLERS);
		assertThat(verification.fileEvents()).isEqualTo(CALLERS);
	}

	@Test
	void anEventTheDatabaseRefusesFailsAloneAndTheOthersOfItsGroupAreCommitted() throws Exception {
		HeldHead head = holdTheHead();
		CompletableFuture<Void> first = append("first");
		waitUntil(() -> this.groupCommit.waiting() == 0 && !first.isDone());
		List<CompletableFuture<Void>> group = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			String target = "fine-" + i;
			group.add(append(target));
		}
		// longer than the column takes
		CompletableFuture<Void> refused = append("x".repeat(501));
		waitUntil(() -> this.groupCommit.waiting() == 4);
		head.release();
		first.get(10, TimeUnit.SECONDS);
		CompletableFuture.allOf(group.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
		assertThat(refused).failsWithin(Duration.ofSeconds(30))
			.withThrowableOfType(ExecutionException.class)
			.havingCause()
			.isInstanceOf(AuditGroupCommitException.class)
			.withCauseInstanceOf(DataIntegrityViolationException.class);
		assertThat(this.jdbc.sql("SELECT target FROM audit_event ORDER BY seq").query(String.class).list())
			.containsExactlyInAnyOrder("first", "fine-0", "fine-1", "fine-2");
		assertThat(this.verifier.verify().valid()).isTrue();
	}

	@Test
	void whenTheHeadStaysHeldTheWaitingEventsFailAndNoneIsWritten() throws Exception {
		HeldHead head = holdTheHead();
		List<CompletableFuture<Void>> callers = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			String target = "late-" + i;
			callers.add(append(target));
		}
		for (CompletableFuture<Void> caller : callers) {
			// the head's wait (2 s) for the writer's group, the turn (4 s) for the others
			assertThat(caller).failsWithin(Duration.ofSeconds(20))
				.withThrowableOfType(ExecutionException.class)
				.havingCause()
				.isInstanceOf(AuditGroupCommitException.class);
		}
		head.release();
		assertThat(this.groupCommit.waiting()).isZero();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_event").query(Long.class).single()).isZero();
		this.groupCommit.append(event("after"));
		assertThat(this.verifier.verify().valid()).isTrue();
	}

	private CompletableFuture<Void> append(String target) {
		return CompletableFuture.runAsync(() -> this.groupCommit.append(event(target)), this.threads);
	}

	/** A transaction of another session that holds the head, from when this returns until it is released. */
	private HeldHead holdTheHead() throws InterruptedException {
		CountDownLatch held = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> this.holder.executeWithoutResult((status) -> {
			this.jdbc.sql("SELECT last_seq FROM audit_head WHERE id = 1 FOR UPDATE").query(Long.class).single();
			held.countDown();
			try {
				release.await(30, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}), this.threads);
		assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
		return new HeldHead(release, holder);
	}

	private record HeldHead(CountDownLatch latch, CompletableFuture<Void> holder) {

		void release() throws Exception {
			this.latch.countDown();
			this.holder.get(10, TimeUnit.SECONDS);
		}

	}

	private static NewAuditEvent event(String target) {
		return new NewAuditEvent("computer", "client.refused", target, AuditOutcome.DENIED, "token invalid",
				"127.0.0.1", Instant.now());
	}

	private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (!condition.getAsBoolean()) {
			assertThat(System.nanoTime()).as("waited 10 s").isLessThan(deadline);
			Thread.sleep(10);
		}
	}

}
