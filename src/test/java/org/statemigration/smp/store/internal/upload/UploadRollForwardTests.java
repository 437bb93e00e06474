package org.statemigration.smp.store.internal.upload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.ResumableSegmentedFile;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.internal.BlobStores;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;
import org.statemigration.smp.store.internal.StorageFolders;
import org.statemigration.smp.store.internal.StoreProperties;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The roll-forward of a resumable upload over the segments a request that ended early sealed beyond the
 * acknowledged offset: the ones that authenticate are kept and counted, a torn or tampered segment and all after it
 * are cut, the tail of the old offset goes once it is superseded, and nothing moves when nothing authenticates.
 */
class UploadRollForwardTests {

	private static final int SEGMENT = SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE;

	private static final int LENGTH = 5 * SEGMENT + 17;

	private static final String NODE = "server-one";

	@TempDir
	Path folder;

	private final DataKey key = DataKey.generate();

	private final byte[] plaintext = new byte[LENGTH];

	private final RunningDigests digests = new RunningDigests();

	private ResumableUploadRepository uploads;

	private UploadRollForward rollForward;

	private UUID upload;

	private ResumableSegmentedFile file;

	private Path directory;

	private BlobStore store;

	private BlobKey blobKey;

	@BeforeEach
	void prepare() throws IOException {
		new Random(7).nextBytes(this.plaintext);
		DataSource database = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		JdbcClient jdbc = JdbcClient.create(database);
		this.uploads = new ResumableUploadRepository(jdbc);
		Files.writeString(this.folder.resolve("node-id"), NODE + "\n");
		StorageFolders folders = new StorageFolders(new StoreProperties(new StoreProperties.Storage(
				List.of(new StoreProperties.Folder(this.folder, 100, "0MB")), DataSize.ofMegabytes(256),
				Duration.ofMinutes(1)), this.folder));
		BlobStores blobs = new BlobStores(folders, new SimpleAsyncTaskExecutor());
		this.store = blobs.at(this.folder.toString());
		this.rollForward = new UploadRollForward(this.uploads, this.digests, new NodeIdentity(this.folder),
				new UploadBlobs(blobs));
		this.upload = UUID.randomUUID();
		this.file = new ResumableSegmentedFile(this.upload, 1, LENGTH);
		UUID association = UUID.randomUUID();
		jdbc.sql("""
				INSERT INTO state_store (id, association_id, version, folder, file_name, status, node_id, created_at)
				VALUES (?, ?, 1, ?, ?, 'UPLOADING', ?, ?)""")
			.params(this.upload, association, this.folder.toString(), this.upload + ".smp", NODE, OffsetDateTime.now())
			.update();
		this.uploads.insert(this.upload, association, LENGTH, null, Instant.now());
		this.directory = this.folder.resolve(association.toString());
		this.blobKey = new BlobKey(association, this.upload);
		try (BlobWriter blob = this.store.create(this.blobKey)) {
			this.file.create(blob, 1);
			blob.force();
		}
	}

	@AfterEach
	void closeKey() {
		this.key.close();
	}

	@Test
	void segmentsBeyondTheOffsetThatAuthenticateAreKeptAndCountedAndTheOldTailGoes() throws IOException {
		long acknowledged = SEGMENT + 10;
		acknowledge(acknowledged);
		sealByADeadRequest(4 * SEGMENT + 5);
		assertThat(this.rollForward.pending(row())).isTrue();

		assertThat(rollForward()).isEqualTo(4 * SEGMENT);
		assertThat(this.rollForward.pending(row())).as("nothing is left beyond the new offset").isFalse();
		assertThat(row().offset()).isEqualTo(4 * SEGMENT);
		assertThat(Files.size(part())).isEqualTo(SegmentedStreamFormat.segmentOffset(4, SEGMENT));
		assertThat(tail(acknowledged)).doesNotExist();
		assertThat(this.uploads.lease(this.upload, 4 * SEGMENT, "server-two", Instant.now(), later()))
			.as("the request that rolled forward keeps its lease").isFalse();
		assertThat(digestOfPrefix(4)).isEqualTo(sha256(4 * SEGMENT));
	}

	@Test
	void theUploadRolledForwardGoesOnToTheSameFileAsOnePass() throws IOException {
		acknowledge(2 * SEGMENT);
		sealByADeadRequest(3 * SEGMENT + 40);
		long offset = rollForward();

		try (FileChannel part = FileChannel.open(part(), StandardOpenOption.READ, StandardOpenOption.WRITE);
				ResumableSegmentedFile.Writer writer = this.file.open(part, this.key, offset, Optional.empty(), null)) {
			writer.append(this.plaintext, (int) offset, LENGTH - (int) offset);
			assertThat(writer.complete()).isTrue();
		}
		assertThat(Files.readAllBytes(part())).isEqualTo(onePass());
	}

	@Test
	void aTornLastSegmentIsCut() throws IOException {
		acknowledge(SEGMENT);
		sealByADeadRequest(4 * SEGMENT);
		try (FileChannel part = FileChannel.open(part(), StandardOpenOption.WRITE)) {
			part.truncate(SegmentedStreamFormat.segmentOffset(3, SEGMENT) + 30);
		}

		assertThat(rollForward()).isEqualTo(3 * SEGMENT);
		assertThat(row().offset()).isEqualTo(3 * SEGMENT);
		assertThat(Files.size(part())).isEqualTo(SegmentedStreamFormat.segmentOffset(3, SEGMENT));
	}

	@Test
	void aTamperedSegmentAndAllAfterItAreCut() throws IOException {
		acknowledge(SEGMENT);
		sealByADeadRequest(5 * SEGMENT);
		try (FileChannel part = FileChannel.open(part(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			long position = SegmentedStreamFormat.segmentOffset(2, SEGMENT) + 5;
			java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
			part.read(one, position);
			one.put(0, (byte) (one.get(0) ^ 1)).rewind();
			part.write(one, position);
		}

		assertThat(rollForward()).isEqualTo(2 * SEGMENT);
		assertThat(row().offset()).isEqualTo(2 * SEGMENT);
		assertThat(Files.size(part())).isEqualTo(SegmentedStreamFormat.segmentOffset(2, SEGMENT));
		assertThat(digestOfPrefix(2)).isEqualTo(sha256(2 * SEGMENT));
	}

	@Test
	void aTornSegmentRightAfterTheOffsetIsCutAndTheUploadStaysWithItsTail() throws IOException {
		long acknowledged = 2 * SEGMENT + 20;
		acknowledge(acknowledged);
		sealByADeadRequest(3 * SEGMENT);
		try (FileChannel part = FileChannel.open(part(), StandardOpenOption.WRITE)) {
			part.truncate(SegmentedStreamFormat.segmentOffset(2, SEGMENT) + SEGMENT);
		}
		this.digests.put(this.upload, acknowledged, sha256());

		assertThat(rollForward()).isEqualTo(acknowledged);
		assertThat(row().offset()).isEqualTo(acknowledged);
		assertThat(Files.size(part())).isEqualTo(SegmentedStreamFormat.segmentOffset(2, SEGMENT));
		assertThat(tail(acknowledged)).exists();
		assertThat(this.digests.take(this.upload, acknowledged)).as("the running digest still stands").isPresent();
	}

	@Test
	void everySegmentOnDiskTheLastIncludedRollsTheUploadToItsLength() throws IOException {
		long acknowledged = 3 * SEGMENT + 1;
		acknowledge(acknowledged);
		sealByADeadRequest(LENGTH);
		this.digests.put(this.upload, acknowledged, sha256());

		assertThat(rollForward()).isEqualTo(LENGTH);
		assertThat(row().offset()).isEqualTo(LENGTH);
		assertThat(Files.readAllBytes(part())).isEqualTo(onePass());
		assertThat(tail(acknowledged)).doesNotExist();
		assertThat(this.digests.take(this.upload, acknowledged)).as("the running digest of the old offset").isEmpty();
		assertThat(rollForward()).as("a second time changes nothing").isEqualTo(LENGTH);
		assertThat(this.rollForward.pending(row())).as("still to be completed").isTrue();
	}

	@Test
	void nothingBeyondTheOffsetLeavesTheUploadAsItWas() throws IOException {
		long acknowledged = SEGMENT + 3;
		acknowledge(acknowledged);
		assertThat(this.rollForward.pending(row())).isFalse();

		assertThat(rollForward()).isEqualTo(acknowledged);
		assertThat(row().offset()).isEqualTo(acknowledged);
		assertThat(tail(acknowledged)).exists();
	}

	/** Writes the upload up to the acknowledged offset, with its tail, as a request that finished leaves it. */
	private void acknowledge(long offset) throws IOException {
		Optional<byte[]> tail = sealByADeadRequest(offset);
		if (tail.isPresent()) {
			this.store.putSmall(this.blobKey, offset + ".tail", tail.get());
		}
		assertThat(this.uploads.advance(this.upload, 0, offset)).isTrue();
	}

	/**
	 * Seals the blob's first bytes into the file from scratch, as a request that died before moving the offset.
	 * @return the bytes after the last whole segment, sealed as a tail
	 */
	private Optional<byte[]> sealByADeadRequest(long upTo) throws IOException {
		try (FileChannel part = FileChannel.open(part(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			part.truncate(SegmentedStreamFormat.HEADER_LENGTH);
			try (ResumableSegmentedFile.Writer writer = this.file.open(part, this.key, 0, Optional.empty(), null)) {
				writer.append(this.plaintext, 0, (int) upTo);
				return writer.sealTail();
			}
		}
	}

	private long rollForward() throws IOException {
		Row row = row();
		this.uploads.release(this.upload, NODE);
		assertThat(this.uploads.lease(this.upload, row.offset(), NODE, Instant.now(), later())).isTrue();
		return this.rollForward.rollForward(row, this.key);
	}

	/** The whole blob written in one piece, under the upload's header. */
	private byte[] onePass() throws IOException {
		Path onePass = this.folder.resolve("one-pass");
		byte[] header = Arrays.copyOf(Files.readAllBytes(part()), SegmentedStreamFormat.HEADER_LENGTH);
		try (FileChannel channel = FileChannel.open(onePass, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
				StandardOpenOption.WRITE)) {
			channel.write(java.nio.ByteBuffer.wrap(header));
			try (ResumableSegmentedFile.Writer writer = this.file.open(channel, this.key, 0, Optional.empty(), null)) {
				writer.append(this.plaintext, 0, LENGTH);
			}
		}
		return Files.readAllBytes(onePass);
	}

	/** The digest of the file's first segments, rebuilt from the file as a request without a running digest does. */
	private byte[] digestOfPrefix(long segments) throws IOException {
		try (FileChannel part = FileChannel.open(part(), StandardOpenOption.READ, StandardOpenOption.WRITE);
				ResumableSegmentedFile.Writer writer = this.file.open(part, this.key, segments * SEGMENT,
						Optional.empty(), null)) {
			return writer.runningDigest().digest();
		}
	}

	private byte[] sha256(int length) {
		MessageDigest digest = sha256();
		digest.update(this.plaintext, 0, length);
		return digest.digest();
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (java.security.NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Row row() {
		return this.uploads.find(this.upload).orElseThrow();
	}

	private Path part() {
		return this.directory.resolve(this.upload + ".part");
	}

	private Path tail(long offset) {
		return this.directory.resolve(this.upload + "-" + offset + ".tail");
	}

	private static Instant later() {
		return Instant.now().plus(Duration.ofMinutes(15));
	}

}
