package org.statemigration.smp.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.store.internal.BlobStores;
import org.statemigration.smp.store.internal.DisposalRepository;
import org.statemigration.smp.store.internal.LeftoverRepository;
import org.statemigration.smp.store.internal.NodeHeartbeatRepository;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.StorageFolders;
import org.statemigration.smp.store.internal.StoreProperties;
import org.statemigration.smp.store.internal.StrandedRepository;
import org.statemigration.smp.store.internal.StrandedUploads;
import org.statemigration.smp.store.internal.UploadsInProgress;
import org.statemigration.smp.store.internal.VersionBlobs;
import org.statemigration.smp.support.EmptyDatabases;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestClock;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The periodic release of what failed requests left held, on H2 and on PostgreSQL: this server's uploads,
 * reservations and leases that no request of its own works on are released, those of its live requests kept;
 * a server silent for four intervals is taken for dead, but only once this one has been heard that long.
 */
@OnBothDatabases
class StrandedUploadsIntegrationTests {

	@RegisterExtension
	static final EmptyDatabases databases = new EmptyDatabases("smp_stranded");

	private static final Duration INTERVAL = Duration.ofSeconds(30);

	private static final String OTHER_NODE = "other-node";

	@TempDir
	Path dataDir;

	private JdbcClient jdbc;

	private Path folder;

	private NodeIdentity node;

	private UploadsInProgress inProgress;

	private TestClock clock;

	private StrandedUploads stranded;

	@BeforeEach
	void prepare() {
		DataSource database = databases.migrated();
		this.jdbc = JdbcClient.create(database);
		this.folder = this.dataDir.resolve("stores").toAbsolutePath().normalize();
		this.node = new NodeIdentity(this.dataDir);
		this.inProgress = new UploadsInProgress();
		this.clock = new TestClock();
		StoreProperties properties = new StoreProperties(new StoreProperties.Storage(
				List.of(new StoreProperties.Folder(this.folder, 100, "0MB")), DataSize.ofMegabytes(256), INTERVAL),
				this.dataDir);
		VersionBlobs blobs = new VersionBlobs(
				new BlobStores(new StorageFolders(properties), new SimpleAsyncTaskExecutor()));
		this.stranded = new StrandedUploads(new NodeHeartbeatRepository(this.jdbc), new StrandedRepository(this.jdbc),
				new LeftoverRepository(this.jdbc), new DisposalRepository(this.jdbc),
				new ResumableUploadRepository(this.jdbc), this.inProgress, blobs, this.node, properties,
				new DataSourceTransactionManager(database), this.clock);
	}

	@Test
	void discardsThisServersFailedUploadWithItsFilesAndReservation() throws IOException {
		UUID upload = uploading(this.node.id());
		Path file = write(upload, ".smp");
		Path part = write(upload, ".part");
		reserve(upload, this.node.id());

		assertThat(this.stranded.reconcile()).isPositive();

		assertThat(status(upload)).isNull();
		assertThat(reservationsOf(this.node.id())).isZero();
		assertThat(file).doesNotExist();
		assertThat(part).doesNotExist();
	}

	@Test
	void keepsWhatARequestOfThisServerIsStillWorkingOn() throws IOException {
		UUID upload = uploading(this.node.id());
		Path part = write(upload, ".part");
		reserve(upload, this.node.id());
		UUID leased = resumable(this.node.id());
		this.inProgress.begin(upload);
		this.inProgress.begin(leased);

		assertThat(this.stranded.reconcile()).isZero();

		assertThat(status(upload)).isEqualTo("UPLOADING");
		assertThat(part).exists();
		assertThat(reservationsOf(this.node.id())).isEqualTo(2);
		assertThat(leaseOf(leased)).isEqualTo(this.node.id());
	}

	@Test
	void releasesThisServersReservationOfAnUploadThatNeverGotItsRowButKeepsClientSlots() {
		reserve(UUID.randomUUID(), this.node.id());
		reserveSlot(this.node.id());

		this.stranded.reconcile();

		assertThat(count("SELECT COUNT(*) FROM storage_reservation WHERE store_id IS NOT NULL")).isZero();
		assertThat(count("SELECT COUNT(*) FROM storage_reservation WHERE store_id IS NULL")).isOne();
	}

	@Test
	void givesBackAStrandedLeaseAndKeepsTheResumableUploadForItsClient() throws IOException {
		UUID upload = resumable(this.node.id());
		Path part = write(upload, ".part");

		this.stranded.reconcile();

		assertThat(leaseOf(upload)).isNull();
		assertThat(status(upload)).isEqualTo("UPLOADING");
		assertThat(reservationsOf(this.node.id())).isOne();
		assertThat(part).exists();
	}

	@Test
	void endsAResumableUploadThatWasCompletedButNeitherCommittedNorThrownAway() throws IOException {
		UUID upload = resumable(this.node.id());
		Path file = write(upload, ".smp");

		this.stranded.reconcile();

		assertThat(status(upload)).isNull();
		assertThat(count("SELECT COUNT(*) FROM resumable_upload")).isZero();
		assertThat(reservationsOf(this.node.id())).isZero();
		assertThat(file).doesNotExist();
	}

	@Test
	void takesASilentServerForDeadOnlyOnceThisOneHasBeenHeardForFourIntervals() throws IOException {
		UUID upload = uploading(OTHER_NODE);
		Path part = write(upload, ".part");
		reserve(upload, OTHER_NODE);
		UUID leased = resumable(OTHER_NODE);
		heartbeat(OTHER_NODE, this.clock.instant().atOffset(ZoneOffset.UTC));

		this.stranded.reconcile();
		this.clock.advance(INTERVAL.multipliedBy(3));
		this.stranded.reconcile();
		assertThat(status(upload)).as("silent for three intervals only").isEqualTo("UPLOADING");

		this.clock.advance(INTERVAL.plusSeconds(1));
		this.stranded.reconcile();

		assertThat(status(upload)).isNull();
		assertThat(part).doesNotExist();
		assertThat(reservationsOf(OTHER_NODE)).as("the resumable upload's reservation stays").isOne();
		assertThat(leaseOf(leased)).isNull();
		assertThat(count("SELECT COUNT(*) FROM node_heartbeat WHERE node_id = '" + OTHER_NODE + "'")).isZero();
	}

	@Test
	void afterItsOwnOutageTakesNoServerForDeadBeforeItCouldSpeakAgain() {
		UUID upload = uploading(OTHER_NODE);
		reserve(upload, OTHER_NODE);
		// the other server was last heard long ago: both were cut off from the database until now
		heartbeat(OTHER_NODE, this.clock.instant().minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC));

		this.stranded.reconcile();

		assertThat(status(upload)).isEqualTo("UPLOADING");
		assertThat(reservationsOf(OTHER_NODE)).isOne();
	}

	@Test
	void keepsALiveServersUploads() {
		UUID upload = uploading(OTHER_NODE);
		reserve(upload, OTHER_NODE);
		this.stranded.reconcile();
		this.clock.advance(INTERVAL.multipliedBy(5));
		heartbeat(OTHER_NODE, this.clock.instant().atOffset(ZoneOffset.UTC));

		this.stranded.reconcile();

		assertThat(status(upload)).isEqualTo("UPLOADING");
		assertThat(reservationsOf(OTHER_NODE)).isOne();
	}

	private UUID uploading(String nodeId) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("""
				INSERT INTO state_store (id, association_id, version, folder, file_name, status, node_id, created_at)
				VALUES (?, ?, 1, ?, ?, 'UPLOADING', ?, ?)""")
			.params(id, UUID.randomUUID(), this.folder.toString(), id + ".smp", nodeId, OffsetDateTime.now())
			.update();
		return id;
	}

	/** A resumable upload with its reservation, whose lease the server holds. */
	private UUID resumable(String nodeId) {
		UUID id = uploading(nodeId);
		this.jdbc.sql("""
				INSERT INTO resumable_upload (store_id, association_id, upload_length, upload_offset, lease_node,
				    lease_until, created_at)
				SELECT id, association_id, 5000000, 1048576, ?, ?, ? FROM state_store WHERE id = ?""")
			.params(nodeId, OffsetDateTime.now().plusMinutes(15), OffsetDateTime.now(), id)
			.update();
		reserve(id, nodeId);
		return id;
	}

	private void reserve(UUID storeId, String nodeId) {
		this.jdbc.sql("""
				INSERT INTO storage_reservation (id, association_id, store_id, folder, bytes, node_id, created_at,
				    expires_at)
				VALUES (?, COALESCE((SELECT association_id FROM state_store WHERE id = ?), ?), ?, ?, 1000, ?, ?, ?)""")
			.params(UUID.randomUUID(), storeId, UUID.randomUUID(), storeId, this.folder.toString(), nodeId,
					OffsetDateTime.now(), OffsetDateTime.now().plusHours(24))
			.update();
	}

	private void reserveSlot(String nodeId) {
		this.jdbc.sql("""
				INSERT INTO storage_reservation (id, association_id, store_id, folder, bytes, node_id, created_at,
				    expires_at) VALUES (?, ?, NULL, ?, 0, ?, ?, ?)""")
			.params(UUID.randomUUID(), UUID.randomUUID(), this.folder.toString(), nodeId, OffsetDateTime.now(),
					OffsetDateTime.now().plusHours(1))
			.update();
	}

	private void heartbeat(String nodeId, OffsetDateTime seenAt) {
		this.jdbc.sql("DELETE FROM node_heartbeat WHERE node_id = ?").param(nodeId).update();
		this.jdbc.sql("INSERT INTO node_heartbeat (node_id, seen_at) VALUES (?, ?)").params(nodeId, seenAt).update();
	}

	private String status(UUID storeId) {
		return this.jdbc.sql("SELECT status FROM state_store WHERE id = ?")
			.param(storeId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private String leaseOf(UUID storeId) {
		return this.jdbc.sql("SELECT lease_node FROM resumable_upload WHERE store_id = ?")
			.param(storeId)
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private long reservationsOf(String nodeId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM storage_reservation WHERE node_id = ?")
			.param(nodeId)
			.query(Long.class)
			.single();
	}

	private long count(String sql) {
		return this.jdbc.sql(sql).query(Long.class).single();
	}

	private Path write(UUID storeId, String suffix) throws IOException {
		String associationId = this.jdbc.sql("SELECT association_id FROM state_store WHERE id = ?")
			.param(storeId)
			.query(String.class)
			.single();
		Path directory = Files.createDirectories(this.folder.resolve(associationId));
		return Files.writeString(directory.resolve(storeId + suffix), "ciphertext");
	}

}
