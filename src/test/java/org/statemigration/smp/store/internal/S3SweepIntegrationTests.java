package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.store.blob.s3.PartChecksum;
import org.statemigration.smp.store.internal.S3Sweep.Swept;
import org.statemigration.smp.support.EmptyDatabases;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.S3Servers;
import org.statemigration.smp.support.TcpGate;
import org.statemigration.smp.support.TestClock;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sweep of an S3 location (s3proxy, or Ceph RGW with {@code -Dsmp.test.s3=ceph}) against the database, on H2 and
 * on PostgreSQL, as servers run it, with a clock the test moves: what it removes (unfinished uploads and objects in
 * the server's layout that no live version names at the location, once older than the minimum age, listed in pages
 * of two), what it keeps (a younger one, what an uploading, committed or resumable version names, keys not in the
 * layout, keys outside the prefix), its counts and metrics; of two servers sweeping at once one sweeps and the
 * other skips (ShedLock's row, in the database's time); and a location that cannot be reached fails the pass and
 * removes nothing.
 */
@OnBothDatabases
class S3SweepIntegrationTests {

	@RegisterExtension
	static final EmptyDatabases databases = new EmptyDatabases("smp_s3_sweep");

	private static final Duration MIN_AGE = Duration.ofHours(6);

	private static final String PREFIX = "stores/";

	private final S3Endpoint s3 = S3Servers.ofTheRun();

	private final TestClock clock = new TestClock();

	@TempDir
	Path dataDir;

	private DataSource database;

	private JdbcClient jdbc;

	private String bucket;

	private String location;

	private TcpGate gate;

	private BlobStores blobs;

	@BeforeEach
	void prepare() throws IOException {
		this.database = databases.migrated();
		this.jdbc = JdbcClient.create(this.database);
		this.bucket = this.s3.newBucket("sweep");
		this.location = "s3://" + this.bucket + "/stores";
		this.gate = TcpGate.to(this.s3.endpoint());
		StoreProperties properties = properties(Duration.ZERO);
		this.blobs = new BlobStores(new StorageFolders(properties), properties, new ReservationRepository(this.jdbc),
				new PartLedgerRepository(this.jdbc, this.clock), 4,
				new SimpleAsyncTaskExecutor());
	}

	@AfterEach
	void close() throws IOException {
		this.blobs.destroy();
		this.gate.close();
	}

	@Test
	void removesWhatNoLiveVersionNamesOnceOlderThanTheMinimumAgeAndKeepsTheRest() throws Exception {
		UUID association = UUID.randomUUID();
		String orphan = put(blob(association, UUID.randomUUID()));
		String orphanTail = put(PREFIX + association + "/" + UUID.randomUUID() + "-1048576.tail");
		String superseded = put(blob(association, version(association, "SUPERSEDED", this.location)));
		String deleted = put(blob(association, version(association, "DELETED", this.location)));
		String committedElsewhere = put(blob(association, version(association, "COMMITTED", "s3://another/stores")));
		String orphanUpload = start(blob(association, UUID.randomUUID()));

		UUID current = UUID.randomUUID();
		String committed = put(blob(current, version(current, "COMMITTED", this.location)));
		String completing = put(blob(current, version(current, "UPLOADING", this.location)));
		UUID capturing = version(current, "UPLOADING", this.location);
		String liveUpload = start(blob(current, capturing));
		UUID resumable = version(current, "UPLOADING", this.location);
		this.jdbc.sql("""
				INSERT INTO resumable_upload (store_id, association_id, upload_length, upload_offset, created_at)
				VALUES (?, ?, 104857600, 0, ?)""")
			.params(resumable, current, OffsetDateTime.now(ZoneOffset.UTC))
			.update();
		String pending = put(PREFIX + current + "/" + resumable + "-pending-1");

		List<String> foreign = List.of(put(PREFIX + "README.txt"), put(blob(association, UUID.randomUUID()) + ".bak"),
				put(PREFIX + "archive/" + blob(association, UUID.randomUUID()).substring(PREFIX.length())),
				start(PREFIX + "images/disk.iso"));
		String outside = put("elsewhere/" + blob(association, UUID.randomUUID()).substring(PREFIX.length()));
		String outsideUpload = start("elsewhere/" + blob(association, UUID.randomUUID()).substring(PREFIX.length()));

		Instant old = Stream.concat(objectTimes(), uploadTimes()).max(Instant::compareTo).orElseThrow();
		while (Instant.now().isBefore(old.plusMillis(2100))) {
			Thread.sleep(100);
		}
		String young = put(blob(association, UUID.randomUUID()));
		String youngUpload = start(blob(association, UUID.randomUUID()));

		// now is half a second past the old ones' minimum age, more than a second short of the young ones'
		Instant cutoff = old.plusMillis(500);
		assertThat(Stream.concat(objectTimes(), uploadTimes()).filter((time) -> time.isAfter(cutoff))).hasSize(2);
		this.clock.advance(Duration.between(Instant.now(), cutoff.plus(MIN_AGE)));
		MeterRegistry registry = new SimpleMeterRegistry();
		Swept swept = sweeper("node-a", Duration.ZERO, 2, registry).sweep().orElseThrow();

		assertThat(objects()).doesNotContain(orphan, orphanTail, superseded, deleted, committedElsewhere)
			.contains(committed, completing, pending, young, outside)
			.containsAll(foreign.subList(0, 3));
		assertThat(uploads()).doesNotContain(orphanUpload)
			.contains(liveUpload, youngUpload, outsideUpload, foreign.get(3));
		assertThat(swept).isEqualTo(new Swept(1, 5, 4, 2));
		assertThat(registry.get("smp.storage.sweep.aborted.uploads").tag("folder", this.location).counter().count())
			.isOne();
		assertThat(registry.get("smp.storage.sweep.deleted.objects").tag("folder", this.location).counter().count())
			.isEqualTo(5);
		assertThat(registry.get("smp.storage.sweep.foreign.objects").tag("folder", this.location).gauge().value())
			.isEqualTo(4);
		assertThat(registry.get("smp.storage.sweep.passes").tag("outcome", "swept").counter().count()).isOne();

		this.clock.reset();
		this.clock.advance(Duration.between(Instant.now(), cutoff.plus(MIN_AGE)));
		Swept again = sweeper("node-a", Duration.ZERO, 1000, new SimpleMeterRegistry()).sweep().orElseThrow();
		assertThat(again).as("nothing more to remove").isEqualTo(new Swept(0, 0, 4, 2));
	}

	@Test
	void ofTwoServersSweepingAtOnceOneSweepsAndTheOtherSkips() throws Exception {
		put(blob(UUID.randomUUID(), UUID.randomUUID()));
		MeterRegistry firstMetrics = new SimpleMeterRegistry();
		MeterRegistry secondMetrics = new SimpleMeterRegistry();
		S3Sweep first = sweeper("node-first", Duration.ofMinutes(1), 1000, firstMetrics);
		S3Sweep second = sweeper("node-second", Duration.ofMinutes(1), 1000, secondMetrics);
		CyclicBarrier together = new CyclicBarrier(2);
		CompletableFuture<Optional<Swept>> one = CompletableFuture.supplyAsync(() -> sweepAfter(together, first));
		CompletableFuture<Optional<Swept>> other = CompletableFuture.supplyAsync(() -> sweepAfter(together, second));

		Optional<Swept> byFirst = one.get(60, TimeUnit.SECONDS);
		Optional<Swept> bySecond = other.get(60, TimeUnit.SECONDS);

		assertThat(byFirst.isPresent()).as("exactly one sweeps").isNotEqualTo(bySecond.isPresent());
		assertThat(lockedBy()).isEqualTo(byFirst.isPresent() ? "node-first" : "node-second");
		MeterRegistry swept = byFirst.isPresent() ? firstMetrics : secondMetrics;
		MeterRegistry skipped = byFirst.isPresent() ? secondMetrics : firstMetrics;
		assertThat(swept.get("smp.storage.sweep.passes").tag("outcome", "swept").counter().count()).isOne();
		assertThat(skipped.get("smp.storage.sweep.passes").tag("outcome", "skipped").counter().count()).isOne();
		assertThat(skipped.find("smp.storage.sweep.passes").tag("outcome", "swept").counter()).isNull();

		// released, the lock stays taken until lock-at-least-for after it was taken, by the database's clock
		long heldFor = this.jdbc.sql("SELECT locked_at, lock_until FROM shedlock WHERE name = ?")
			.param(SweepLock.NAME)
			.query((rs, row) -> Duration
				.between(rs.getTimestamp("locked_at").toInstant(), rs.getTimestamp("lock_until").toInstant())
				.toMillis())
			.single();
		assertThat(heldFor).isBetween(59_000L, 61_000L);
		S3Sweep late = byFirst.isPresent() ? second : first;
		assertThat(late.sweep()).as("a sweep moments after another").isEmpty();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM shedlock").query(Long.class).single()).isOne();
	}

	@Test
	void aLocationThatCannotBeReachedFailsThePassAndNothingIsRemoved() throws Exception {
		String orphan = put(blob(UUID.randomUUID(), UUID.randomUUID()));
		this.clock.advance(MIN_AGE.plusHours(1));
		MeterRegistry registry = new SimpleMeterRegistry();
		S3Sweep sweep = sweeper("node-a", Duration.ZERO, 1000, registry);
		this.gate.shut();
		Swept swept;
		try {
			swept = sweep.sweep().orElseThrow();
		}
		finally {
			this.gate.open();
		}

		assertThat(swept).isEqualTo(new Swept(0, 0, 0, 0));
		assertThat(objects()).contains(orphan);
		assertThat(registry.get("smp.storage.sweep.passes").tag("outcome", "failed").counter().count()).isOne();
		assertThat(registry.find("smp.storage.sweep.foreign.objects").gauge()).as("not known").isNull();

		assertThat(sweep.sweep().orElseThrow().deleted()).as("the next pass").isOne();
	}

	private static Optional<Swept> sweepAfter(CyclicBarrier together, S3Sweep sweep) {
		try {
			together.await(30, TimeUnit.SECONDS);
			return sweep.sweep();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A sweep of the location as a server with that node id runs it, in pages of the size given. */
	private S3Sweep sweeper(String nodeId, Duration lockAtLeastFor, int pageSize, MeterRegistry registry)
			throws IOException {
		Path nodeDir = Files.createDirectories(this.dataDir.resolve(nodeId));
		Files.writeString(nodeDir.resolve("node-id"), nodeId + "\n", StandardCharsets.US_ASCII);
		SweepLock lock = new SweepLock(this.database, new NodeIdentity(nodeDir), properties(lockAtLeastFor), this.clock);
		return new S3Sweep(this.blobs, new SweepRepository(this.jdbc), lock, new SweepMetrics(registry), MIN_AGE,
				this.clock, pageSize);
	}

	/** The location, reached through the gate. */
	private StoreProperties properties(Duration lockAtLeastFor) {
		StoreProperties.Folder folder = new StoreProperties.Folder(this.location, 100, "0MB", DataSize.ofMegabytes(200),
				new StoreProperties.S3(this.gate.endpoint(), this.s3.region(), true, PartChecksum.MD5,
						this.s3.accessKeyId(), this.s3.secretAccessKey(), 8));
		return new StoreProperties(new StoreProperties.Storage(List.of(folder), DataSize.ofMegabytes(256),
				Duration.ofSeconds(30), new StoreProperties.S3Transfers(null, Duration.ofSeconds(30)),
				new StoreProperties.Sweep(Duration.ofHours(1), MIN_AGE, Duration.ofMinutes(15), lockAtLeastFor)),
				this.dataDir);
	}

	/** A version's row, in the status and at the location given. */
	private UUID version(UUID association, String status, String at) {
		UUID id = UUID.randomUUID();
		long number = this.jdbc.sql("SELECT COUNT(*) FROM state_store WHERE association_id = ?")
			.param(association)
			.query(Long.class)
			.single() + 1;
		this.jdbc.sql("""
				INSERT INTO state_store (id, association_id, version, folder, file_name, status, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)""")
			.params(id, association, number, at, id + ".smp", status, OffsetDateTime.now(ZoneOffset.UTC))
			.update();
		return id;
	}

	private static String blob(UUID association, UUID version) {
		return PREFIX + association + "/" + version + ".smp";
	}

	private String put(String key) {
		this.s3.client()
			.putObject((put) -> put.bucket(this.bucket).key(key), RequestBody.fromString("not smp's ciphertext"));
		return key;
	}

	/** Starts a multipart upload under the key, with one part. */
	private String start(String key) {
		String id = this.s3.client().createMultipartUpload((create) -> create.bucket(this.bucket).key(key)).uploadId();
		this.s3.client()
			.uploadPart((part) -> part.bucket(this.bucket).key(key).uploadId(id).partNumber(1),
					RequestBody.fromString("a part that is never completed"));
		return key;
	}

	private List<String> objects() {
		return this.s3.client()
			.listObjectsV2Paginator((list) -> list.bucket(this.bucket))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	private List<String> uploads() {
		return this.s3.client()
			.listMultipartUploadsPaginator((list) -> list.bucket(this.bucket))
			.uploads()
			.stream()
			.map(MultipartUpload::key)
			.toList();
	}

	/** When each object was written, as the listing that the sweep reads tells it. */
	private Stream<Instant> objectTimes() {
		return this.s3.client()
			.listObjectsV2Paginator((list) -> list.bucket(this.bucket))
			.contents()
			.stream()
			.map(S3Object::lastModified);
	}

	private Stream<Instant> uploadTimes() {
		return this.s3.client()
			.listMultipartUploadsPaginator((list) -> list.bucket(this.bucket))
			.uploads()
			.stream()
			.map(MultipartUpload::initiated);
	}

	private String lockedBy() {
		return this.jdbc.sql("SELECT locked_by FROM shedlock WHERE name = ?")
			.param(SweepLock.NAME)
			.query(String.class)
			.single();
	}

}
