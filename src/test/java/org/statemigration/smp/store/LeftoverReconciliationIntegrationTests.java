package org.statemigration.smp.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.store.internal.BlobStores;
import org.statemigration.smp.store.internal.LeftoverReconciliation;
import org.statemigration.smp.store.internal.LeftoverRepository;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.StorageFolders;
import org.statemigration.smp.store.internal.StoreProperties;
import org.statemigration.smp.support.EmptyDatabases;
import org.statemigration.smp.support.OnBothDatabases;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of start-up reconciliation, on the real schema: what died with this server goes, what another server
 * is writing stays, files that no row needs go, and nothing that is not a store file is ever touched. On H2 and on
 * PostgreSQL.
 */
@OnBothDatabases
class LeftoverReconciliationIntegrationTests {

	@RegisterExtension
	static final EmptyDatabases databases = new EmptyDatabases("smp_leftovers");

	private static final String OTHER_NODE = "another-server";

	@TempDir
	Path dataDir;

	private Path folder;

	private JdbcClient jdbc;

	private NodeIdentity node;

	private LeftoverReconciliation reconciliation;

	@BeforeEach
	void prepare() {
		DataSource database = databases.migrated();
		this.jdbc = JdbcClient.create(database);
		this.folder = this.dataDir.resolve("stores").toAbsolutePath().normalize();
		this.node = new NodeIdentity(this.dataDir);
		StorageFolders folders = new StorageFolders(new StoreProperties(new StoreProperties.Storage(
				List.of(new StoreProperties.Folder(this.folder, 100, "0MB")), DataSize.ofMegabytes(256), Duration.ofMinutes(1)),
				this.dataDir));
		this.reconciliation = new LeftoverReconciliation(new LeftoverRepository(this.jdbc), this.node,
				new BlobStores(folders, new SimpleAsyncTaskExecutor()), new ResumableUploadRepository(this.jdbc));
	}

	@Test
	void discardsThisServersUnfinishedUploadWithItsPartFileAndReservation() throws IOException {
		Version upload = version("UPLOADING", this.node.id());
		Path part = write(upload, ".part");
		reserve(upload, this.node.id());

		this.reconciliation.reconcile();

		assertThat(part).doesNotExist();
		assertThat(status(upload)).isNull();
		assertThat(reservations(this.node.id())).isZero();
	}

	@Test
	void discardsThisServersUploadThatWasRenamedButNeverCommitted() throws IOException {
		Version committed = version("COMMITTED", this.node.id());
		Path current = write(committed, ".smp");
		Version upload = version("UPLOADING", this.node.id(), committed.associationId());
		Path renamed = write(upload, ".smp");

		this.reconciliation.reconcile();

		assertThat(renamed).doesNotExist();
		assertThat(status(upload)).isNull();
		assertThat(current).exists();
		assertThat(status(committed)).isEqualTo("COMMITTED");
	}

	@Test
	void keepsThisServersResumableUploadForItsClientToResumeAndGivesBackItsLease() throws IOException {
		Version upload = version("UPLOADING", this.node.id());
		this.jdbc.sql("""
				INSERT INTO resumable_upload (store_id, association_id, upload_length, upload_offset, lease_node,
				    lease_until, created_at) VALUES (?, ?, 5000000, 1500000, ?, ?, ?)""")
			.params(upload.id(), upload.associationId(), this.node.id(), OffsetDateTime.now().plusMinutes(10),
					OffsetDateTime.now())
			.update();
		Path part = write(upload, ".part");
		Path tail = write(upload, "-1500000.tail");
		reserve(upload, this.node.id());

		this.reconciliation.reconcile();

		assertThat(part).exists();
		assertThat(tail).exists();
		assertThat(status(upload)).isEqualTo("UPLOADING");
		assertThat(reservations(this.node.id())).isOne();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM resumable_upload WHERE lease_node IS NOT NULL")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void removesTailsAndSpoolsOfUploadsThatAreGone() throws IOException {
		Version committed = version("COMMITTED", OTHER_NODE);
		Path current = write(committed, ".smp");
		Path tail = write(committed, "-1048577.tail");
		Path temporaryTail = write(committed, "-2097153.tail.tmp");
		Path spool = file(UUID.randomUUID(), UUID.randomUUID() + ".spool");

		this.reconciliation.reconcile();

		assertThat(current).exists();
		assertThat(tail).doesNotExist();
		assertThat(temporaryTail).doesNotExist();
		assertThat(spool).doesNotExist();
	}

	@Test
	void keepsAnotherServersLiveUpload() throws IOException {
		Version upload = version("UPLOADING", OTHER_NODE);
		Path part = write(upload, ".part");
		reserve(upload, OTHER_NODE);

		this.reconciliation.reconcile();

		assertThat(part).exists();
		assertThat(status(upload)).isEqualTo("UPLOADING");
		assertThat(reservations(OTHER_NODE)).isOne();
	}

	@Test
	void releasesThisServersUploadReservationsButKeepsItsClientSlots() {
		UUID withoutRow = UUID.randomUUID();
		this.jdbc.sql("""
				INSERT INTO storage_reservation (id, association_id, store_id, folder, bytes, node_id, created_at,
				    expires_at) VALUES (?, ?, ?, ?, 1000, ?, ?, ?)""")
			.params(UUID.randomUUID(), UUID.randomUUID(), withoutRow, this.folder.toString(), this.node.id(),
					OffsetDateTime.now(), OffsetDateTime.now().plusHours(1))
			.update();
		this.jdbc.sql("""
				INSERT INTO storage_reservation (id, association_id, store_id, folder, bytes, node_id, created_at,
				    expires_at) VALUES (?, ?, NULL, ?, 0, ?, ?, ?)""")
			.params(UUID.randomUUID(), UUID.randomUUID(), this.folder.toString(), this.node.id(), OffsetDateTime.now(),
					OffsetDateTime.now().plusHours(1))
			.update();

		this.reconciliation.reconcile();

		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM storage_reservation WHERE store_id IS NULL")
			.query(Long.class)
			.single()).isOne();
		assertThat(reservations(this.node.id())).isOne();
	}

	@Test
	void removesTheFileOfASupersededVersionThatOutlivedACrash() throws IOException {
		Version old = version("SUPERSEDED", OTHER_NODE);
		Path oldFile = write(old, ".smp");
		Version current = version("COMMITTED", OTHER_NODE, old.associationId());
		Path currentFile = write(current, ".smp");

		this.reconciliation.reconcile();

		assertThat(oldFile).doesNotExist();
		assertThat(currentFile).exists();
	}

	@Test
	void removesStoreFilesThatNoRowNamesAndPartFilesOfCommittedVersions() throws IOException {
		Version committed = version("COMMITTED", OTHER_NODE);
		Path current = write(committed, ".smp");
		Path stalePart = write(committed, ".part");
		Path unknown = file(committed.associationId(), UUID.randomUUID() + ".smp");
		Path unknownPart = file(UUID.randomUUID(), UUID.randomUUID() + ".part");

		this.reconciliation.reconcile();

		assertThat(current).exists();
		assertThat(stalePart).doesNotExist();
		assertThat(unknown).doesNotExist();
		assertThat(unknownPart).doesNotExist();
		assertThat(unknownPart.getParent()).doesNotExist();
	}

	@Test
	void neverTouchesAnythingThatIsNotAStoreFile() throws IOException {
		UUID association = UUID.randomUUID();
		List<Path> foreign = List.of(
				Files.writeString(Files.createDirectories(this.folder).resolve(UUID.randomUUID() + ".smp"), "x"),
				file(association, "notes.txt"), file(association, UUID.randomUUID() + ".smp.bak"),
				file(association, UUID.randomUUID().toString().toUpperCase() + ".smp"),
				Files.writeString(Files.createDirectories(this.folder.resolve("lost+found"))
					.resolve(UUID.randomUUID() + ".smp"), "x"),
				Files.writeString(Files.createDirectories(this.folder.resolve(association.toString())
					.resolve(UUID.randomUUID().toString())).resolve(UUID.randomUUID() + ".part"), "x"));

		this.reconciliation.reconcile();

		assertThat(foreign).allSatisfy((path) -> assertThat(path).exists());
	}

	@Test
	void keepsFilesWhenNothingIsLeftOver() throws IOException {
		Version committed = version("COMMITTED", this.node.id());
		Path current = write(committed, ".smp");

		this.reconciliation.reconcile();
		this.reconciliation.reconcile();

		assertThat(current).exists();
		assertThat(status(committed)).isEqualTo("COMMITTED");
	}

	private Version version(String status, String nodeId) {
		return version(status, nodeId, UUID.randomUUID());
	}

	private Version version(String status, String nodeId, UUID associationId) {
		UUID id = UUID.randomUUID();
		long version = this.jdbc.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM state_store WHERE association_id = ?")
			.param(associationId)
			.query(Long.class)
			.single();
		this.jdbc.sql("""
				INSERT INTO state_store (id, association_id, version, folder, file_name, status, node_id, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(id, associationId, version, this.folder.toString(), id + ".smp", status, nodeId,
					OffsetDateTime.now())
			.update();
		return new Version(id, associationId);
	}

	private void reserve(Version version, String nodeId) {
		this.jdbc.sql("""
				INSERT INTO storage_reservation (id, association_id, store_id, folder, bytes, node_id, created_at,
				    expires_at) VALUES (?, ?, ?, ?, 1000, ?, ?, ?)""")
			.params(UUID.randomUUID(), version.associationId(), version.id(), this.folder.toString(), nodeId,
					OffsetDateTime.now(), OffsetDateTime.now().plusHours(1))
			.update();
	}

	private String status(Version version) {
		return this.jdbc.sql("SELECT status FROM state_store WHERE id = ?")
			.param(version.id())
			.query(String.class)
			.optional()
			.orElse(null);
	}

	private long reservations(String nodeId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM storage_reservation WHERE node_id = ?")
			.param(nodeId)
			.query(Long.class)
			.single();
	}

	private Path file(UUID associationId, String name) throws IOException {
		Path directory = Files.createDirectories(this.folder.resolve(associationId.toString()));
		return Files.writeString(directory.resolve(name), "ciphertext");
	}

	private Path write(Version version, String suffix) throws IOException {
		return file(version.associationId(), version.id() + suffix);
	}

	private record Version(UUID id, UUID associationId) {
	}

}
