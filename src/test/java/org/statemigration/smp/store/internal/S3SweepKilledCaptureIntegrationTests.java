package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.statemigration.smp.store.blob.s3.PartChecksum;
import org.statemigration.smp.store.internal.S3Sweep.Swept;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.PausingBody;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.S3Servers;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TcpGate;
import org.statemigration.smp.support.TestClock;
import org.statemigration.smp.support.TestEnvironments;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;
import org.statemigration.smp.support.cluster.ClusterTest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A capture by PUT killed mid-upload on an S3 location (s3proxy, or Ceph RGW with {@code -Dsmp.test.s3=ceph}), swept
 * up. The packaged server, on a PostgreSQL database of its own as in a cluster, captures a version, takes the sweep's
 * lock row (ShedLock) on its own schedule, and is killed (SIGKILL) in the middle of a second capture, which leaves a
 * multipart upload with parts. The rest runs in the test JVM on that server's database and bucket, as a second
 * server would, with a clock it can move: the dead server's upload is kept while its version is uploading; once the
 * dead server's version is released by a server that cannot reach S3 at that moment (so the upload is not aborted
 * then, as after any deletion that never reached S3), the next sweep aborts it and keeps the committed version's
 * object. What the sweep removes and keeps in general, on H2 and on PostgreSQL, is {@link S3SweepIntegrationTests}'s.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ServerProcessTest
@ClusterTest
@NeedsPostgres
class S3SweepKilledCaptureIntegrationTests {

	private static final long MIB = 1024 * 1024;

	private static final Duration MIN_AGE = Duration.ofHours(6);

	private static final Duration RECONCILE_INTERVAL = Duration.ofSeconds(30);

	private static final String PREFIX = "stores/";

	private final S3Endpoint s3 = S3Servers.ofTheRun();

	private ProcessDatabase database;

	private String bucket;

	private String location;

	private Path serverDir;

	private ServerProcess server;

	private TcpGate gate;

	private JdbcClient jdbc;

	private DataSource dataSource;

	private Path testDir;

	private final TestClock clock = new TestClock();

	private BlobStores blobs;

	private String committedKey;

	private String killedAssociation;

	private UUID killedVersion;

	@BeforeAll
	void start() throws Exception {
		this.database = ProcessDatabase.freshPostgres("smp_s3_sweep_killed");
		this.bucket = this.s3.newBucket("sweep");
		this.location = "s3://" + this.bucket + "/stores";
		this.serverDir = Files.createTempDirectory(Path.of("target"), "s3-sweep-server-");
		this.testDir = Files.createTempDirectory(Path.of("target"), "s3-sweep-test-");
		String folder = "--smp.storage.folders[0].";
		// sweeps every two seconds, releasing the lock as soon as it is done
		this.server = ServerProcess.start(this.serverDir, "256m", this.database.arguments(), true, folder + "location=" + this.location,
				folder + "capacity=200MB", folder + "s3.endpoint=" + this.s3.endpoint(),
				folder + "s3.region=" + this.s3.region(), folder + "s3.path-style=true",
				folder + "s3.access-key-id=" + this.s3.accessKeyId(),
				folder + "s3.secret-access-key=" + this.s3.secretAccessKey(), "--smp.storage.sweep.interval=PT2S",
				"--smp.storage.sweep.lock-at-least-for=PT0S");
		this.dataSource = new SimpleDriverDataSource(new org.postgresql.Driver(), this.database.jdbcUrl(),
				TestEnvironments.user(), TestEnvironments.password());
		this.jdbc = JdbcClient.create(this.dataSource);
		this.gate = TcpGate.to(this.s3.endpoint());
		this.blobs = new BlobStores(new StorageFolders(properties(Duration.ZERO)), properties(Duration.ZERO),
				new ReservationRepository(this.jdbc), new PartLedgerRepository(this.jdbc, Clock.systemUTC()), 4,
				new SimpleAsyncTaskExecutor());
	}

	@AfterAll
	void stop() throws Exception {
		if (this.server != null) {
			this.server.close();
		}
		if (this.blobs != null) {
			this.blobs.destroy();
		}
		if (this.gate != null) {
			this.gate.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	@Order(1)
	void theServerTakesTheSweepLockAndACaptureKilledMidUploadLeavesAnUnfinishedUpload() throws Exception {
		TestServer client = this.server.client();
		Pair committed = enroll(client, "SWEEP-1");
		Grant capture = committed.source().request("CAPTURE");
		Response stored = committed.source()
			.upload(capture.storeUrl(), capture.token(), () -> new SeededStream(3 * MIB, 1), 3 * MIB, null);
		assertThat(stored.status()).as("%s", stored).isEqualTo(201);
		assertThat(committed.source().release(capture.token(), true).status()).isEqualTo(200);
		this.committedKey = single(objects(PREFIX + committed.associationId() + "/"));

		String serverNode = Files.readString(this.serverDir.resolve("node-id"), StandardCharsets.US_ASCII).strip();
		await(Duration.ofSeconds(60), () -> serverNode.equals(lockedBy()));

		Pair killed = enroll(client, "SWEEP-2");
		this.killedAssociation = killed.associationId();
		Grant doomed = killed.source().request("CAPTURE");
		CountDownLatch never = new CountDownLatch(1);
		CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
			try {
				killed.source()
					.upload(doomed.storeUrl(), doomed.token(), () -> new PausingBody(40 * MIB, 2, 20 * MIB, never),
							40 * MIB, null);
			}
			catch (RuntimeException ex) {
				// the server died under it
			}
		});
		String killedPrefix = PREFIX + this.killedAssociation + "/";
		await(Duration.ofSeconds(60), () -> uploads(killedPrefix).stream().anyMatch(this::hasParts));
		this.server.kill();
		never.countDown();
		upload.get(60, TimeUnit.SECONDS);

		List<MultipartUpload> left = uploads(killedPrefix);
		assertThat(left).hasSize(1);
		this.killedVersion = UUID.fromString(left.get(0).key().replaceAll("^.*/([^/]+)\\.smp$", "$1"));
		assertThat(status(this.killedVersion)).isEqualTo("UPLOADING");
		// had the server died in the middle of one of its sweeps, its lock would hold for lock-at-most-for; the
		// test does not wait for that
		this.jdbc.sql("DELETE FROM shedlock").update();
	}

	@Test
	@Order(2)
	void theKilledCapturesUploadIsKeptWhileItsVersionIsUploadingAndAbortedOnceItWasReleased() throws Exception {
		String killedPrefix = PREFIX + this.killedAssociation + "/";
		this.clock.reset();
		this.clock.advance(MIN_AGE.plusHours(1));
		Swept kept = sweeper("node-kept", Duration.ZERO, 1000, new SimpleMeterRegistry()).sweep().orElseThrow();
		assertThat(kept.aborted()).isZero();
		assertThat(uploads(killedPrefix)).as("its version is still uploading").hasSize(1);

		// the dead server is released by another, which cannot reach S3 at that moment: the row goes, the upload
		// stays, as after any deletion that never reached S3
		this.clock.reset();
		StrandedUploads stranded = strandedUploads();
		stranded.reconcile();
		this.clock.advance(RECONCILE_INTERVAL.multipliedBy(StrandedUploads.SILENT_INTERVALS).plusSeconds(1));
		this.gate.shut();
		try {
			stranded.reconcile();
		}
		finally {
			this.gate.open();
		}
		assertThat(status(this.killedVersion)).as("released").isNull();
		assertThat(uploads(killedPrefix)).as("its abort never reached S3").hasSize(1);

		this.clock.advance(MIN_AGE.plusHours(1));
		MeterRegistry registry = new SimpleMeterRegistry();
		Swept swept = sweeper("node-abort", Duration.ZERO, 1000, registry).sweep().orElseThrow();

		assertThat(swept.aborted()).isOne();
		assertThat(this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket)).uploads()).isEmpty();
		assertThat(objects(PREFIX)).contains(this.committedKey);
		assertThat(registry.get("smp.storage.sweep.aborted.uploads").tag("folder", this.location).counter().count())
			.isOne();
	}

	/** A sweep of the location as a server with that node id runs it, in pages of the size given. */
	private S3Sweep sweeper(String nodeId, Duration lockAtLeastFor, int pageSize, MeterRegistry registry)
			throws IOException {
		Path dataDir = Files.createDirectories(this.testDir.resolve(nodeId));
		Files.writeString(dataDir.resolve("node-id"), nodeId + "\n", StandardCharsets.US_ASCII);
		StoreProperties properties = properties(lockAtLeastFor);
		SweepLock lock = new SweepLock(this.dataSource, new NodeIdentity(dataDir), properties, this.clock);
		return new S3Sweep(this.blobs, new SweepRepository(this.jdbc), lock, new SweepMetrics(registry), MIN_AGE,
				this.clock, pageSize);
	}

	private StrandedUploads strandedUploads() throws IOException {
		Path dataDir = Files.createDirectories(this.testDir.resolve("stranded"));
		StoreProperties properties = properties(Duration.ZERO);
		return new StrandedUploads(new NodeHeartbeatRepository(this.jdbc), new StrandedRepository(this.jdbc),
				new LeftoverRepository(this.jdbc), new DisposalRepository(this.jdbc),
				new ResumableUploadRepository(this.jdbc), new UploadsInProgress(), new VersionBlobs(this.blobs),
				new NodeIdentity(dataDir), properties, new DataSourceTransactionManager(this.dataSource), this.clock);
	}

	/** The location through the gate, as a second server configures it. */
	private StoreProperties properties(Duration lockAtLeastFor) {
		StoreProperties.Folder folder = new StoreProperties.Folder(this.location, 100, "0MB", DataSize.ofMegabytes(200),
				new StoreProperties.S3(this.gate.endpoint(), this.s3.region(), true, PartChecksum.MD5,
						this.s3.accessKeyId(), this.s3.secretAccessKey(), 8));
		return new StoreProperties(new StoreProperties.Storage(List.of(folder), DataSize.ofMegabytes(256),
				RECONCILE_INTERVAL, new StoreProperties.S3Transfers(null, Duration.ofSeconds(30)),
				new StoreProperties.Sweep(Duration.ofHours(1), MIN_AGE, Duration.ofMinutes(15), lockAtLeastFor)),
				this.testDir);
	}

	private String status(UUID version) {
		return this.jdbc.sql("SELECT status FROM state_store WHERE id = ?")
			.param(version)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private String lockedBy() {
		return this.jdbc.sql("SELECT locked_by FROM shedlock WHERE name = ?")
			.param(SweepLock.NAME)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private List<String> objects(String prefix) {
		return this.s3.client()
			.listObjectsV2Paginator((list) -> list.bucket(this.bucket).prefix(prefix))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	private List<MultipartUpload> uploads(String prefix) {
		return new ArrayList<>(
				this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket).prefix(prefix)).uploads());
	}

	private boolean hasParts(MultipartUpload upload) {
		return !this.s3.client()
			.listParts((list) -> list.bucket(this.bucket).key(upload.key()).uploadId(upload.uploadId()))
			.parts()
			.isEmpty();
	}

	private static String single(List<String> keys) {
		assertThat(keys).hasSize(1);
		return keys.get(0);
	}

	private static Pair enroll(TestServer server, String name) {
		OperatorClient admin = server.admin();
		String id = admin.createAssociation(name + "-OLD", name + "-NEW", "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient source = server.computer(name + "-OLD");
		assertThat(source.enroll(admin.enrollmentCode(name + "-OLD")).status()).isEqualTo(201);
		return new Pair(id, source);
	}

	private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as("waited %s", timeout).isBefore(deadline);
			Thread.sleep(250);
		}
	}

	/** An association and its source computer, enrolled. */
	private record Pair(String associationId, ComputerClient source) {
	}

}
