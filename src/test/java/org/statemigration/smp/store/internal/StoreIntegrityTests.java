package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.SegmentedEncryptingOutputStream;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.store.StoreCheck;
import org.statemigration.smp.store.StoreCheck.Verdict;
import org.statemigration.smp.store.StoreIntegrity;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.blob.FolderBlobStore;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The check of whole committed versions that the integrity scrub runs: among many versions written as a capture
 * writes them, it names the one with a flipped bit (and the segment), a truncated, an extended, a missing one and
 * one whose plaintext is not the one recorded, and tells a location it cannot reach from damage.
 */
class StoreIntegrityTests {

	private static final int STORES = 6;

	@TempDir
	Path temp;

	private JdbcClient jdbc;

	private Path folder;

	private VersionKeys keys;

	private StoreIntegrity integrity;

	private final List<Written> written = new ArrayList<>();

	@BeforeEach
	void writeStores() throws Exception {
		DataSource database = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		this.jdbc = JdbcClient.create(database);
		this.folder = this.temp.resolve("stores");
		Files.createDirectories(this.folder);
		StoreProperties properties = new StoreProperties(new StoreProperties.Storage(
				List.of(new StoreProperties.Folder(this.folder, 10, "0MB")), DataSize.ofMegabytes(0), Duration.ofMinutes(1)),
				this.temp);
		BlobStores blobs = new BlobStores(new StorageFolders(properties), new SimpleAsyncTaskExecutor());
		this.keys = new VersionKeys(KeyEncryptionKeys.loadOrCreate(this.temp.resolve("master.key")));
		this.integrity = new StoreIntegrity(new StateStoreRepository(this.jdbc), this.keys, blobs,
				new NodeIdentity(this.temp));
		Random random = new Random(42);
		for (int i = 0; i < STORES; i++) {
			// 3 MiB and some: four segments, the last short
			byte[] plaintext = new byte[(3 << 20) + 1000 * i + 1];
			random.nextBytes(plaintext);
			this.written.add(write(plaintext));
		}
	}

	@Test
	void everyVersionWrittenAsACaptureWritesItIsIntact() throws IOException {
		List<StoreCheck> checks = checkAll();
		assertThat(checks).hasSize(STORES).allSatisfy((check) -> {
			assertThat(check.verdict()).isEqualTo(Verdict.INTACT);
			assertThat(check.damaged()).isFalse();
		});
		Written first = this.written.get(0);
		StoreCheck check = this.integrity.check(first.id(), (index, length) -> {
		}).orElseThrow();
		assertThat(check.bytesRead()).isEqualTo(Files.size(first.file()));
		assertThat(check.associationId()).isEqualTo(first.association());
	}

	@Test
	void oneFlippedBitInOneSegmentOfOneStoreAmongManyNamesThatStoreAndSegment() throws IOException {
		Written damaged = this.written.get(3);
		long offset = SegmentedStreamFormat.segmentOffset(2, SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE) + 12345;
		flipBit(damaged.file(), offset);

		List<StoreCheck> checks = checkAll();
		assertThat(checks).filteredOn(StoreCheck::damaged).singleElement().satisfies((check) -> {
			assertThat(check.storeId()).isEqualTo(damaged.id());
			assertThat(check.associationId()).isEqualTo(damaged.association());
			assertThat(check.verdict()).isEqualTo(Verdict.AUTHENTICATION_FAILED);
			assertThat(check.segment()).isEqualTo(2);
			assertThat(check.location()).endsWith(damaged.id() + ".smp");
		});
		assertThat(checks).filteredOn((check) -> check.verdict() == Verdict.INTACT).hasSize(STORES - 1);
	}

	@Test
	void aFlippedBitInTheHeaderFailsTheFirstSegment() throws IOException {
		Written damaged = this.written.get(1);
		flipBit(damaged.file(), 15);
		StoreCheck check = check(damaged);
		assertThat(check.verdict()).isEqualTo(Verdict.AUTHENTICATION_FAILED);
		assertThat(check.segment()).isZero();
	}

	@Test
	void aTruncatedBlobIsTruncatedWhereverItWasCut() throws IOException {
		Written atSegment = this.written.get(0);
		truncate(atSegment.file(), SegmentedStreamFormat.segmentOffset(2, SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE));
		Written midSegment = this.written.get(1);
		truncate(midSegment.file(), Files.size(midSegment.file()) - 100);
		Written toNothing = this.written.get(2);
		truncate(toNothing.file(), 7);

		assertThat(check(atSegment).verdict()).isEqualTo(Verdict.TRUNCATED);
		assertThat(check(midSegment).verdict()).isEqualTo(Verdict.TRUNCATED);
		assertThat(check(toNothing).verdict()).isEqualTo(Verdict.TRUNCATED);
		assertThat(check(this.written.get(3)).verdict()).isEqualTo(Verdict.INTACT);
	}

	@Test
	void aBlobWithBytesAddedIsExtended() throws IOException {
		Written extended = this.written.get(4);
		Files.write(extended.file(), new byte[17], StandardOpenOption.APPEND);
		assertThat(check(extended).verdict()).isEqualTo(Verdict.EXTENDED);
	}

	@Test
	void aBlobThatIsGoneIsMissing() throws IOException {
		Written missing = this.written.get(5);
		Files.delete(missing.file());
		StoreCheck check = check(missing);
		assertThat(check.verdict()).isEqualTo(Verdict.MISSING);
		assertThat(check.damaged()).isTrue();
	}

	@Test
	void plaintextThatIsNotTheOneRecordedIsADigestMismatch() throws IOException {
		Written other = this.written.get(2);
		this.jdbc.sql("UPDATE state_store SET sha256 = ? WHERE id = ?")
			.params(HexFormat.of().formatHex(new byte[32]), other.id())
			.update();
		StoreCheck check = check(other);
		assertThat(check.verdict()).isEqualTo(Verdict.DIGEST_MISMATCH);
		assertThat(check.detail()).contains(other.sha256());
	}

	@Test
	void aLocationThatCannotBeReachedIsUnreadableNotDamaged() throws IOException {
		Written elsewhere = this.written.get(1);
		this.jdbc.sql("UPDATE state_store SET folder = 's3://gone/prefix' WHERE id = ?").param(elsewhere.id()).update();
		StoreCheck check = check(elsewhere);
		assertThat(check.verdict()).isEqualTo(Verdict.UNREADABLE);
		assertThat(check.damaged()).isFalse();
	}

	@Test
	void aVersionNoLongerCommittedIsNotChecked() throws IOException {
		Written superseded = this.written.get(0);
		this.jdbc.sql("UPDATE state_store SET status = 'SUPERSEDED', data_key_wrapped = NULL WHERE id = ?")
			.param(superseded.id())
			.update();
		assertThat(this.integrity.check(superseded.id(), (index, length) -> {
		})).isEmpty();
		assertThat(this.integrity.totals().versions()).isEqualTo(STORES - 1);
	}

	@Test
	void thePaceSeesEverySegmentAndMayStopTheCheck() throws IOException {
		Written first = this.written.get(0);
		AtomicLong paced = new AtomicLong();
		StoreCheck check = this.integrity.check(first.id(), (index, length) -> paced.addAndGet(length)).orElseThrow();
		assertThat(paced.get() + SegmentedStreamFormat.HEADER_LENGTH).isEqualTo(check.bytesRead());
		assertThatExceptionOfType(InterruptedIOException.class).isThrownBy(() -> this.integrity.check(first.id(),
				(index, length) -> {
					if (index == 1) {
						throw new InterruptedIOException("stop");
					}
				}));
	}

	private List<StoreCheck> checkAll() throws IOException {
		List<StoreCheck> checks = new ArrayList<>();
		UUID after = null;
		List<UUID> page;
		do {
			// pages of two, to go through the paging
			page = this.integrity.committedAfter(after, 2);
			for (UUID id : page) {
				checks.add(this.integrity.check(id, (index, length) -> {
				}).orElseThrow());
				after = id;
			}
		}
		while (!page.isEmpty());
		return checks;
	}

	private StoreCheck check(Written store) throws IOException {
		return this.integrity.check(store.id(), (index, length) -> {
		}).orElseThrow();
	}

	private Written write(byte[] plaintext) throws Exception {
		UUID id = UUID.randomUUID();
		UUID association = UUID.randomUUID();
		FolderBlobStore blobs = new FolderBlobStore(this.folder, 0, -1, 0, new SimpleAsyncTaskExecutor());
		try (DataKey key = DataKey.generate()) {
			BlobWriter writer = blobs.create(new BlobKey(association, id));
			SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(writer, key,
					this.keys.currentVersion(), SegmentedStreamFormat.associatedData(id, 1));
			out.write(plaintext);
			out.finish();
			writer.commit();
			String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(plaintext));
			this.jdbc.sql("""
					INSERT INTO state_store (id, association_id, version, folder, file_name, status, data_key_wrapped,
					    size_bytes, sha256, node_id, created_at, committed_at)
					VALUES (?, ?, 1, ?, ?, 'COMMITTED', ?, ?, ?, 'test', ?, ?)""")
				.params(id, association, this.folder.toString(), id + ".smp", this.keys.wrap(id, key), plaintext.length,
						sha256, OffsetDateTime.now(), OffsetDateTime.now())
				.update();
			return new Written(id, association, this.folder.resolve(association.toString()).resolve(id + ".smp"),
					sha256);
		}
	}

	private static void flipBit(Path file, long offset) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
			channel.read(one, offset);
			one.put(0, (byte) (one.get(0) ^ 0x10)).rewind();
			channel.write(one, offset);
		}
	}

	private static void truncate(Path file, long size) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.truncate(size);
		}
	}

	record Written(UUID id, UUID association, Path file, String sha256) {
	}

}
