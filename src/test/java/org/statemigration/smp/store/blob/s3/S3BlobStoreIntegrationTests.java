package org.statemigration.smp.store.blob.s3;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobStoreUnavailableException;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.blob.Room;
import org.statemigration.smp.store.blob.StoredObject;
import org.statemigration.smp.store.blob.StoredObject.Kind;
import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.S3Servers;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The S3 blob store against a real S3 server (s3proxy, or Ceph RGW with {@code -Dsmp.test.s3=ceph}): a blob
 * written as a multipart upload of equal parts of whole segments and completed, read back by ranged GETs across
 * part boundaries, aborted without a trace, listed and deleted with its small objects and unfinished uploads, and
 * the failures: a bounded wait for part buffers, an unreachable server, a missing bucket, all without the secret in
 * any message. Each test has a bucket of its own.
 */
class S3BlobStoreIntegrationTests {

	private static final int SEALED = SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE + SegmentedStreamFormat.TAG_LENGTH;

	/** The smallest part size S3 takes for parts but the last: 5 MiB, so 5 segments a part. */
	private static final int SEGMENTS = 5;

	private static final int FIRST_PART = SegmentedStreamFormat.HEADER_LENGTH + SEGMENTS * SEALED;

	private static final int PART = SEGMENTS * SEALED;

	private final S3Endpoint s3 = S3Servers.ofTheRun();

	private final SimpleAsyncTaskExecutor senders = new SimpleAsyncTaskExecutor("s3-test-");

	private final List<S3Client> clients = new ArrayList<>();

	private String bucket;

	private S3BlobStore store;

	@BeforeEach
	void newBucket() {
		this.bucket = this.s3.newBucket("blob-store");
		this.store = store(this.bucket, PartChecksum.MD5, new PartBuffers(64L << 20, Duration.ofSeconds(5)),
				this.s3.endpoint());
	}

	@AfterEach
	void closeClients() {
		this.clients.forEach(S3Client::close);
	}

	private S3BlobStore store(String bucket, PartChecksum checksum, PartBuffers buffers, URI endpoint) {
		S3Location location = new S3Location(S3Location.normalize(bucket, "smp/stores"), bucket, "smp/stores",
				1L << 30, endpoint, this.s3.region(), true, checksum, this.s3.accessKeyId(), this.s3.secretAccessKey(),
				SEGMENTS);
		S3Client client = S3Clients.create(location, 4);
		this.clients.add(client);
		return new S3BlobStore(location, client, buffers, this.senders, 3 * 1024 * 1024, () -> 100L << 20);
	}

	@Test
	void blobIsWrittenInPartsOfWholeSegmentsAndReadBackAcrossTheirBoundaries() throws Exception {
		byte[] blob = random(FIRST_PART + PART + 123_456, 1);
		BlobKey key = key();
		BlobWriter writer = this.store.create(key);
		write(writer, blob, 70_000);
		assertThat(objects()).as("nothing visible before the commit").isEmpty();
		writer.commit();

		String objectKey = "smp/stores/" + key.associationId() + "/" + key.storeId() + ".smp";
		assertThat(objects()).containsExactly(objectKey);
		assertThat(this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket)).uploads()).isEmpty();
		// a multipart ETag is the MD5 of the parts' MD5s and their count: it proves where the parts were cut
		String etag = this.s3.client().headObject((head) -> head.bucket(this.bucket).key(objectKey)).eTag();
		assertThat(etag.replace("\"", "")).isEqualTo(multipartEtag(blob, FIRST_PART, PART));

		try (SeekableByteChannel channel = this.store.read(key)) {
			assertThat(channel.size()).isEqualTo(blob.length);
			assertThat(readAll(channel)).isEqualTo(blob);
			for (long from : new long[] { FIRST_PART - 10, FIRST_PART + PART - 3, 0, blob.length - 7 }) {
				channel.position(from);
				ByteBuffer range = ByteBuffer.allocate((int) Math.min(20, blob.length - from));
				while (range.hasRemaining() && channel.read(range) > 0) {
				}
				assertThat(range.array()).isEqualTo(Arrays.copyOfRange(blob, (int) from, (int) from + range.capacity()));
			}
			channel.position(blob.length);
			assertThat(channel.read(ByteBuffer.allocate(1))).isEqualTo(-1);
		}
	}

	@Test
	void sha256AndNoPartChecksumsAreTakenToo() throws Exception {
		for (PartChecksum checksum : new PartChecksum[] { PartChecksum.SHA256, PartChecksum.NONE }) {
			S3BlobStore store = store(this.bucket, checksum, new PartBuffers(64L << 20, Duration.ofSeconds(5)),
					this.s3.endpoint());
			byte[] blob = random(FIRST_PART + 10, 2);
			BlobKey key = key();
			BlobWriter writer = store.create(key);
			write(writer, blob, 1 << 20);
			writer.commit();
			try (SeekableByteChannel channel = store.read(key)) {
				assertThat(readAll(channel)).as("%s", checksum).isEqualTo(blob);
			}
			store.putSmall(key, "1.tail", new byte[] { 1, 2, 3 });
			assertThat(store.getSmall(key, "1.tail", 3)).contains(new byte[] { 1, 2, 3 });
		}
	}

	@Test
	void anAbortedBlobLeavesNoObjectAndNoUnfinishedUpload() throws Exception {
		BlobWriter writer = this.store.create(key());
		write(writer, random(FIRST_PART + 5, 3), 1 << 20);
		writer.abort();
		assertThat(objects()).isEmpty();
		assertThat(this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket)).uploads()).isEmpty();
	}

	@Test
	void listsAndDeletesBlobsSmallObjectsAndUnfinishedUploads() throws Exception {
		BlobKey committed = key();
		BlobWriter writer = this.store.create(committed);
		write(writer, random(1000, 4), 1000);
		writer.commit();
		this.store.putSmall(committed, "42.tail", new byte[] { 7 });
		BlobKey unfinished = key();
		this.store.create(unfinished).close();
		this.s3.client().putObject((put) -> put.bucket(this.bucket).key("smp/stores/not-ours.txt"),
				software.amazon.awssdk.core.sync.RequestBody.fromString("x"));

		assertThat(this.store.list()).extracting(StoredObject::key, StoredObject::kind, StoredObject::name)
			.containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(committed, Kind.BLOB, null),
					org.assertj.core.groups.Tuple.tuple(committed, Kind.SMALL, "42.tail"),
					org.assertj.core.groups.Tuple.tuple(unfinished, Kind.UNFINISHED_BLOB, null));
		assertThat(this.store.list(committed)).hasSize(2);
		assertThatThrownBy(() -> this.store.create(unfinished)).isInstanceOf(java.nio.file.FileAlreadyExistsException.class);

		this.store.delete(committed);
		for (StoredObject object : this.store.list(unfinished)) {
			this.store.delete(object);
		}
		assertThat(this.store.list()).isEmpty();
		assertThat(objects()).containsExactly("smp/stores/not-ours.txt");
		assertThat(this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket)).uploads()).isEmpty();
	}

	@Test
	void smallObjectsAreReadWholeOrRefusedWhenTooLarge() throws Exception {
		BlobKey key = key();
		assertThat(this.store.getSmall(key, "5.tail", 10)).isEmpty();
		this.store.putSmall(key, "5.tail", new byte[11]);
		assertThatThrownBy(() -> this.store.getSmall(key, "5.tail", 10)).isInstanceOf(IOException.class)
			.hasMessageContaining("larger than 10 bytes");
		this.store.putSmall(key, "5.tail", new byte[] { 9 });
		assertThat(this.store.getSmall(key, "5.tail", 10)).contains(new byte[] { 9 });
		assertThatThrownBy(() -> this.store.read(key)).isInstanceOf(NoSuchFileException.class);
	}

	@Test
	void roomIsTheCapacityLessWhatTheDatabaseRecordsAndResumingIsRefused() throws Exception {
		Room room = this.store.room();
		assertThat(room.freeBytes()).isEqualTo((1L << 30) - (100L << 20));
		assertThat(room.budget()).isTrue();
		assertThat(room.available()).isEqualTo(room.freeBytes());
		assertThat(this.store.resumable()).isFalse();
		assertThatThrownBy(() -> this.store.resume(key())).isInstanceOf(UnsupportedOperationException.class);
		assertThat(this.store.writable()).isTrue();
		try (SeekableByteChannel scratch = this.store.scratch(key())) {
			scratch.write(ByteBuffer.wrap(new byte[] { 1, 2 }));
			assertThat(scratch.size()).isEqualTo(2);
		}
		assertThat(objects()).as("the scratch is local").isEmpty();
	}

	@Test
	void anUploadThatFindsNoPartBufferInTimeFailsAndGivesItsBufferBack() throws Exception {
		PartBuffers buffers = new PartBuffers(6L << 20, Duration.ofMillis(300));
		S3BlobStore store = store(this.bucket, PartChecksum.MD5, buffers, this.s3.endpoint());
		BlobWriter first = store.create(key());
		first.write(ByteBuffer.wrap(new byte[10]));
		BlobWriter second = store.create(key());
		assertThatThrownBy(() -> second.write(ByteBuffer.wrap(new byte[10])))
			.isInstanceOf(BlobStoreUnavailableException.class)
			.hasMessageContaining("buffer-memory");
		second.abort();
		first.abort();
		assertThat(buffers.freeBytes()).isEqualTo(6L << 20);
		BlobWriter third = store.create(key());
		third.write(ByteBuffer.wrap(new byte[10]));
		third.commit();
		assertThat(buffers.freeBytes()).isEqualTo(6L << 20);
	}

	@Test
	void anUnreachableServerFailsWithTheLocationAndNeverTheSecret() throws Exception {
		URI closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = URI.create("http://127.0.0.1:" + socket.getLocalPort());
		}
		S3BlobStore unreachable = store(this.bucket, PartChecksum.MD5, new PartBuffers(64L << 20, Duration.ofSeconds(1)),
				closed);
		assertThatThrownBy(() -> unreachable.create(key())).isInstanceOf(BlobStoreUnavailableException.class)
			.hasMessageContaining("s3://" + this.bucket + "/smp/stores")
			.hasMessageContaining(closed.toString())
			.satisfies((ex) -> assertThat(ex.toString()).doesNotContain(this.s3.secretAccessKey()));
		assertThat(unreachable.writable()).isFalse();

		S3BlobStore missing = store("no-such-bucket-" + UUID.randomUUID().toString().substring(0, 8),
				PartChecksum.MD5, new PartBuffers(64L << 20, Duration.ofSeconds(1)), this.s3.endpoint());
		assertThatThrownBy(missing::checkBucket).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("bucket no-such-bucket-")
			.hasMessageContaining(this.s3.endpoint().toString())
			.satisfies((ex) -> assertThat(ex.toString()).doesNotContain(this.s3.secretAccessKey()));
		this.store.checkBucket();
	}

	private List<String> objects() {
		return this.s3.client()
			.listObjectsV2Paginator((list) -> list.bucket(this.bucket))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

	private static BlobKey key() {
		return new BlobKey(UUID.randomUUID(), UUID.randomUUID());
	}

	private static void write(BlobWriter writer, byte[] blob, int step) throws IOException {
		for (int from = 0; from < blob.length; from += step) {
			writer.write(ByteBuffer.wrap(blob, from, Math.min(step, blob.length - from)));
		}
		assertThat(writer.size()).isEqualTo(blob.length);
	}

	private static byte[] readAll(SeekableByteChannel channel) throws IOException {
		ByteBuffer all = ByteBuffer.allocate((int) channel.size());
		channel.position(0);
		while (all.hasRemaining() && channel.read(all) > 0) {
		}
		return all.array();
	}

	private static byte[] random(int size, long seed) {
		byte[] bytes = new byte[size];
		new Random(seed).nextBytes(bytes);
		return bytes;
	}

	private static String multipartEtag(byte[] blob, int first, int part) throws Exception {
		MessageDigest md5s = MessageDigest.getInstance("MD5");
		int parts = 0;
		for (int from = 0, size = first; from < blob.length; from += size, size = part) {
			MessageDigest md5 = MessageDigest.getInstance("MD5");
			md5.update(blob, from, Math.min(size, blob.length - from));
			md5s.update(md5.digest());
			parts++;
		}
		return HexFormat.of().formatHex(md5s.digest()) + "-" + parts;
	}

}
