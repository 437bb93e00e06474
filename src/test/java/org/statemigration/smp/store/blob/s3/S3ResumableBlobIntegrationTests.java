package org.statemigration.smp.store.blob.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.ResumableSegmentedFile;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.blob.s3.PartLedger.Part;
import org.statemigration.smp.store.internal.PartLedgerRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.S3Servers;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The unfinished blob of a resumable upload on an S3 location (s3proxy), written by the resumable segmented file as
 * the store's requests write it, with its part ledger in a real database (H2, migrated): chunks of odd sizes over
 * many requests give the same ciphertext as one pass; a part that a request sent whole and then died before
 * recording as done is adopted by the next request, its segments kept unread by the roll-forward; a part recorded
 * as intended that S3 never stored whole is dropped and its segments sealed again, to the same ciphertext; a running
 * digest that is lost is recovered by reading the committed blob back; and an abort leaves nothing.
 */
class S3ResumableBlobIntegrationTests {

	private static final int SEGMENT = SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE;

	/** The smallest part S3 takes but the last: 5 MiB, so 5 segments a part. */
	private static final int SEGMENTS = 5;

	private static final int SEALED_PART = SEGMENTS * (SEGMENT + SegmentedStreamFormat.TAG_LENGTH);

	private static final int LENGTH = 3 * SEGMENTS * SEGMENT + 2 * SEGMENT + 12_345;

	private final S3Endpoint s3 = S3Servers.ofTheRun();

	private final List<S3Client> clients = new ArrayList<>();

	private final DataKey key = DataKey.generate();

	private final byte[] plaintext = new byte[LENGTH];

	private String bucket;

	private JdbcClient jdbc;

	private StoppingLedger ledger;

	private S3BlobStore store;

	private BlobKey blobKey;

	private ResumableSegmentedFile file;

	@BeforeEach
	void prepare() throws IOException {
		new Random(5).nextBytes(this.plaintext);
		DataSource database = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		this.jdbc = JdbcClient.create(database);
		this.ledger = new StoppingLedger(this.jdbc);
		this.bucket = this.s3.newBucket("resumable");
		S3Location location = new S3Location(S3Location.normalize(this.bucket, "stores"), this.bucket, "stores",
				1L << 30, this.s3.endpoint(), this.s3.region(), true, PartChecksum.MD5, this.s3.accessKeyId(),
				this.s3.secretAccessKey(), SEGMENTS);
		S3Client client = S3Clients.create(location, 4);
		this.clients.add(client);
		// room for two uploads' buffers at once: each request holds one
		this.store = new S3BlobStore(location, client, new PartBuffers(32L << 20, Duration.ofSeconds(5)),
				new SimpleAsyncTaskExecutor(), 3 << 20, () -> 0L, this.ledger);
		UUID association = UUID.randomUUID();
		UUID upload = UUID.randomUUID();
		this.jdbc.sql("""
				INSERT INTO state_store (id, association_id, version, folder, file_name, status, node_id, created_at)
				VALUES (?, ?, 1, ?, ?, 'UPLOADING', 'node', ?)""")
			.params(upload, association, location.location(), upload + ".smp", OffsetDateTime.now())
			.update();
		new ResumableUploadRepository(this.jdbc).insert(upload, association, LENGTH, null, Instant.now());
		this.blobKey = new BlobKey(association, upload);
		this.file = new ResumableSegmentedFile(upload, 1, LENGTH);
		try (BlobWriter blob = this.store.createResumable(this.blobKey)) {
			this.file.create(blob, 1);
			blob.force();
		}
	}

	@AfterEach
	void close() {
		this.key.close();
		this.clients.forEach(S3Client::close);
	}

	@Test
	void chunksOfOddSizesOverManyRequestsGiveTheCiphertextOfOnePass() throws Exception {
		long offset = 0;
		MessageDigest digest = null;
		for (int chunk : new int[] { 777_777, 3 * SEGMENT + 5, 1, 6 * SEGMENT + 99_999, 4_000_000 }) {
			Request request = chunk(offset, chunk, digest);
			offset = request.offset();
			digest = request.digest();
			assertThat(pendingObjects()).as("at most one pending object").hasSizeLessThanOrEqualTo(1);
		}
		assertThat(this.ledger.find(this.blobKey).orElseThrow().parts()).extracting(Part::status)
			.containsOnly(Part.Status.DONE)
			.hasSize((int) (offset / SEGMENT / SEGMENTS));
		Request last = chunk(offset, LENGTH - (int) offset, digest);
		byte[] sha256 = complete(last);

		assertThat(sha256).isEqualTo(MessageDigest.getInstance("SHA-256").digest(this.plaintext));
		assertThat(committed()).isEqualTo(onePass());
		assertThat(objects()).containsExactly(blobObject());
		assertThat(unfinishedUploads()).isZero();
	}

	@Test
	void aPartSentWholeByARequestThatDiedBeforeRecordingItIsAdoptedAndItsSegmentsKeptUnread() throws Exception {
		Request first = chunk(0, 2 * SEGMENT + 10, null);
		// the next request fills part 1 and sends it, then its server dies before the part is recorded as done
		this.ledger.stopAfterSending = 1;
		assertThatThrownBy(() -> chunk(first.offset(), 5 * SEGMENT, first.digest())).isInstanceOf(Stopped.class);
		assertThat(this.ledger.find(this.blobKey).orElseThrow().parts()).extracting(Part::status)
			.containsExactly(Part.Status.INTENDED);

		long offset;
		try (BlobWriter blob = this.store.resume(this.blobKey)) {
			assertThat(blob.readableFrom()).as("part 1 adopted").isEqualTo(SegmentedStreamFormat.HEADER_LENGTH
					+ SEALED_PART);
			OptionalLong rolled = this.file.rollForward(blob, this.key, first.offset(), blob.readableFrom());
			offset = rolled.orElseThrow();
			blob.force();
		}
		// the tail of the old offset is superseded, as the store's roll-forward knows
		this.store.deleteSmall(this.blobKey, first.offset() + ".tail");
		assertThat(offset).as("the segments of part 1 are kept").isEqualTo(SEGMENTS * SEGMENT);
		assertThat(this.ledger.find(this.blobKey).orElseThrow().parts()).extracting(Part::status)
			.containsExactly(Part.Status.DONE);

		Request rest = chunk(offset, LENGTH - (int) offset, null);
		assertThat(rest.sha256()).as("the digest of a prefix that cannot be read back is unknown").isNull();
		byte[] sha256 = complete(rest);
		assertThat(sha256).isEqualTo(MessageDigest.getInstance("SHA-256").digest(this.plaintext));
		assertThat(committed()).isEqualTo(onePass());
		assertThat(objects()).containsExactly(blobObject());
	}

	@Test
	void aPartRecordedAsIntendedThatS3NeverStoredWholeIsDroppedAndItsSegmentsSealedAgain() throws Exception {
		Request first = chunk(0, 3 * SEGMENT + 10, null);
		// a request recorded part 1 as intended and died before S3 took it whole
		this.ledger.intend(this.blobKey, new Part(1, SegmentedStreamFormat.HEADER_LENGTH + SEALED_PART,
				"0123456789abcdef0123456789abcdef", Part.Status.INTENDED));

		long offset;
		try (BlobWriter blob = this.store.resume(this.blobKey)) {
			assertThat(blob.readableFrom()).as("nothing sent").isZero();
			assertThat(this.file.rollForward(blob, this.key, first.offset(), blob.readableFrom())).isEmpty();
			offset = first.offset();
		}
		assertThat(this.ledger.find(this.blobKey).orElseThrow().parts()).isEmpty();

		Request rest = chunk(offset, LENGTH - (int) offset, first.digest());
		assertThat(rest.sha256()).as("the running digest went on").isNotNull();
		byte[] sha256 = complete(rest);
		assertThat(sha256).isEqualTo(MessageDigest.getInstance("SHA-256").digest(this.plaintext));
		assertThat(committed()).as("the same bytes sealed again give the same ciphertext").isEqualTo(onePass());
	}

	@Test
	void theWholeBlobSentByARequestThatDiedBeforeCommittingIsCompletedByTheNext() throws Exception {
		Request first = chunk(0, 4 * SEGMENT, null);
		// the last request sends every part, the last one included, and dies before recording the last as done
		this.ledger.stopAfterSending = 4;
		assertThatThrownBy(() -> chunk(first.offset(), LENGTH - (int) first.offset(), first.digest()))
			.isInstanceOf(Stopped.class);

		try (BlobWriter blob = this.store.resume(this.blobKey)) {
			assertThat(this.file.rollForward(blob, this.key, first.offset(), blob.readableFrom()))
				.hasValue(LENGTH);
			try (ResumableSegmentedFile.Writer writer = this.file.open(blob, this.key, LENGTH, Optional.empty(), null,
					blob.readableFrom())) {
				assertThat(writer.completed().sha256()).as("unknown until read back").isNull();
			}
			blob.commit();
		}
		try (SeekableByteChannel committed = this.store.read(this.blobKey)) {
			assertThat(this.file.verify(committed, this.key).sha256())
				.isEqualTo(MessageDigest.getInstance("SHA-256").digest(this.plaintext));
		}
		assertThat(objects()).containsExactly(blobObject());
		assertThat(unfinishedUploads()).isZero();
	}

	@Test
	void anAbortLeavesNoObjectNoPendingAndNoUnfinishedUpload() throws Exception {
		chunk(0, 7 * SEGMENT + 3, null);
		assertThat(pendingObjects()).hasSize(1);
		assertThat(objects()).as("a tail, a pending object and nothing else").hasSize(2);
		this.store.delete(this.blobKey);
		assertThat(objects()).isEmpty();
		assertThat(unfinishedUploads()).isZero();
	}

	@Test
	void aLookAtTheUnfinishedBlobTellsItsHeaderAndSize() throws Exception {
		Request first = chunk(0, 6 * SEGMENT + 3, null);
		try (SeekableByteChannel look = this.store.read(this.blobKey)) {
			assertThat(look.size()).isEqualTo(SegmentedStreamFormat.segmentOffset(6, SEGMENT));
			assertThat(this.file.holdsMoreThan(look, first.offset())).isFalse();
			assertThat(this.file.holdsMoreThan(look, 2 * SEGMENT)).isTrue();
		}
	}

	/**
	 * One request: resume, roll forward, append the chunk, force, keep the tail, as the store does; a chunk that
	 * completes the blob commits it.
	 */
	private Request chunk(long offset, int length, MessageDigest digest) throws IOException {
		try (BlobWriter blob = this.store.resume(this.blobKey)) {
			assertThat(this.file.rollForward(blob, this.key, offset, blob.readableFrom())).isEmpty();
			Optional<byte[]> tail = this.store.getSmall(this.blobKey, offset + ".tail",
					ResumableSegmentedFile.MAX_TAIL_LENGTH);
			try (ResumableSegmentedFile.Writer writer = this.file.open(blob, this.key, offset, tail, digest,
					blob.readableFrom())) {
				writer.append(this.plaintext, (int) offset, length);
				if (writer.complete()) {
					byte[] sha256 = writer.completed().sha256();
					blob.commit();
					this.store.deleteSmall(this.blobKey, offset + ".tail");
					return new Request(LENGTH, null, sha256);
				}
				blob.force();
				Optional<byte[]> sealed = writer.sealTail();
				if (sealed.isPresent()) {
					this.store.putSmall(this.blobKey, writer.offset() + ".tail", sealed.get());
				}
				if (writer.offset() != offset) {
					this.store.deleteSmall(this.blobKey, offset + ".tail");
				}
				return new Request(writer.offset(), writer.runningDigest(), null);
			}
		}
	}

	/** The SHA-256 of the committed blob: as the running digest had it, or read back when it was lost. */
	private byte[] complete(Request last) throws IOException {
		assertThat(last.offset()).isEqualTo(LENGTH);
		if (last.sha256() != null) {
			return last.sha256();
		}
		try (SeekableByteChannel committed = this.store.read(this.blobKey)) {
			return this.file.verify(committed, this.key).sha256();
		}
	}

	private byte[] committed() throws IOException {
		try (SeekableByteChannel channel = this.store.read(this.blobKey)) {
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			Channels.newInputStream(channel).transferTo(out);
			return out.toByteArray();
		}
	}

	/** The ciphertext of the whole blob written by one writer in one pass. */
	private byte[] onePass() throws IOException {
		ByteArrayChannel channel = new ByteArrayChannel();
		ByteBuffer header = ByteBuffer.allocate(SegmentedStreamFormat.HEADER_LENGTH);
		try (SeekableByteChannel blob = this.store.read(this.blobKey)) {
			while (header.hasRemaining() && blob.read(header) > 0) {
			}
		}
		channel.write(header.flip());
		try (ResumableSegmentedFile.Writer writer = this.file.open(channel, this.key, 0, Optional.empty(), null)) {
			writer.append(this.plaintext, 0, LENGTH);
		}
		return channel.bytes();
	}

	private List<String> objects() {
		return this.s3.client()
			.listObjectsV2Paginator((list) -> list.bucket(this.bucket))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	private List<String> pendingObjects() {
		return objects().stream().filter((key) -> key.contains("-" + S3ResumableWriter.PENDING)).toList();
	}

	private String blobObject() {
		return "stores/" + this.blobKey.associationId() + "/" + this.blobKey.storeId() + ".smp";
	}

	private int unfinishedUploads() {
		return this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket)).uploads().size();
	}

	private record Request(long offset, MessageDigest digest, byte[] sha256) {
	}

	/** Thrown where a request's server dies. */
	private static final class Stopped extends RuntimeException {

		Stopped() {
			super("the server died here");
		}

	}

	/**
	 * The real ledger, in which a request's server can die between S3's answer to a part and the record of that
	 * part as done (after the part of that number was sent).
	 */
	private static final class StoppingLedger extends PartLedgerRepository {

		int stopAfterSending;

		StoppingLedger(JdbcClient jdbc) {
			super(jdbc, Clock.systemUTC());
		}

		@Override
		public boolean done(BlobKey key, int number, String md5) {
			if (number == this.stopAfterSending) {
				this.stopAfterSending = 0;
				throw new Stopped();
			}
			return super.done(key, number, md5);
		}

	}

	/** A growing byte array as a channel. */
	private static final class ByteArrayChannel implements SeekableByteChannel {

		private byte[] bytes = new byte[0];

		private int size;

		private long position;

		@Override
		public int read(ByteBuffer destination) {
			if (this.position >= this.size) {
				return -1;
			}
			int n = Math.min(destination.remaining(), this.size - (int) this.position);
			destination.put(this.bytes, (int) this.position, n);
			this.position += n;
			return n;
		}

		@Override
		public int write(ByteBuffer source) {
			int n = source.remaining();
			int end = (int) this.position + n;
			if (end > this.bytes.length) {
				this.bytes = java.util.Arrays.copyOf(this.bytes, Math.max(end, this.bytes.length * 2));
			}
			source.get(this.bytes, (int) this.position, n);
			this.position = end;
			this.size = Math.max(this.size, end);
			return n;
		}

		@Override
		public long position() {
			return this.position;
		}

		@Override
		public SeekableByteChannel position(long position) {
			this.position = position;
			return this;
		}

		@Override
		public long size() {
			return this.size;
		}

		@Override
		public SeekableByteChannel truncate(long size) {
			this.size = (int) Math.min(this.size, size);
			return this;
		}

		@Override
		public boolean isOpen() {
			return true;
		}

		@Override
		public void close() {
		}

		byte[] bytes() {
			return java.util.Arrays.copyOf(this.bytes, this.size);
		}

	}

}
