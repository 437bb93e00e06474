package org.statemigration.smp.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.S3Servers;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TcpGate;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;
import org.statemigration.smp.support.cluster.ClusterTest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resumable (tus) uploads to an S3 location (s3proxy, or Ceph RGW with {@code -Dsmp.test.s3=ceph}), driven over TLS
 * against two packaged servers that share one PostgreSQL database and the bucket, as two nodes of a cluster: chunks
 * of odd sizes (no multiple of a segment or a part) restored equal; chunks on one node and then the other, whose
 * whole-blob SHA-256 is then checked by reading the completed object back, refused with {@code digest-mismatch}
 * when it differs from the declared one and nothing left; termination leaving no multipart upload and no small
 * object; a node killed with SIGKILL after S3 stored what it sent and before the database recorded it (S3's answer
 * held back in a {@link TcpGate}): a part, which the other node adopts, and a chunk's tail, after which the other
 * node goes on from the offset recorded; and a node killed in the middle of a {@code PATCH}, after which the other
 * node reports an offset at or after the last acknowledged one and within what was sent, and takes the upload to
 * its end. After
 * every test the bucket holds exactly the committed versions' objects, no unfinished multipart upload, and nothing is
 * reserved.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ServerProcessTest
@ClusterTest
@NeedsPostgres
class S3ResumableUploadIntegrationTests {

	private static final long MIB = 1024 * 1024;

	private final S3Endpoint s3 = S3Servers.ofTheRun();

	private final List<MigrationPair> pairs = new ArrayList<>();

	private ProcessDatabase database;

	private String bucket;

	private Path temp;

	/** Between the first server and S3: it can hold back S3's answers to that server. */
	private TcpGate gate;

	private Path firstDir;

	private ServerProcess first;

	private ServerProcess second;

	private int names;

	@BeforeAll
	void start() throws Exception {
		this.database = ProcessDatabase.freshPostgres("smp_tus_s3");
		this.bucket = this.s3.newBucket("tus");
		this.temp = Files.createTempDirectory(Path.of("target"), "s3-tus-");
		this.gate = TcpGate.to(this.s3.endpoint());
		this.firstDir = this.temp.resolve("first");
		Path secondDir = this.temp.resolve("second");
		this.first = ServerProcess.start(this.firstDir, "256m", this.database.arguments(), true,
				arguments(this.gate.endpoint()));
		copyKeys(this.firstDir, secondDir);
		this.second = ServerProcess.start(secondDir, "256m", this.database.arguments(), false,
				arguments(this.s3.endpoint()));
	}

	/** The first server runs again after a test killed it. */
	@BeforeEach
	void firstRuns() throws IOException {
		if (!this.first.isAlive()) {
			this.first = ServerProcess.start(this.firstDir, "256m", this.database.arguments(), false,
					arguments(this.gate.endpoint()));
		}
	}

	private String[] arguments(URI endpoint) {
		String folder = "--smp.storage.folders[0].";
		return new String[] { folder + "location=s3://" + this.bucket + "/stores", folder + "capacity=400MB",
				folder + "max-clients=50", folder + "s3.endpoint=" + endpoint,
				folder + "s3.region=" + this.s3.region(), folder + "s3.path-style=true",
				folder + "s3.access-key-id=" + this.s3.accessKeyId(),
				folder + "s3.secret-access-key=" + this.s3.secretAccessKey(), folder + "s3.part-size=5",
				// a node silent for four seconds is taken for dead, and the leases it held are given back
				"--smp.storage.reconcile-interval=PT1S" };
	}

	@AfterAll
	void stop() throws Exception {
		for (ServerProcess process : new ServerProcess[] { this.first, this.second }) {
			if (process != null) {
				process.close();
			}
		}
		if (this.database != null) {
			this.database.close();
		}
		if (this.gate != null) {
			this.gate.close();
		}
	}

	@AfterEach
	void bucketHoldsExactlyTheCommittedVersions() throws Exception {
		TestServer server = this.second.client();
		Set<String> expected = new HashSet<>();
		for (MigrationPair pair : this.pairs) {
			Response recovery = server.operator("admin", this.first.client().adminPassword())
				.post("/api/v1/associations/" + pair.associationId() + "/recovery-information",
						Map.of("reason", "checking what the bucket should hold"));
			assertThat(recovery.status()).as("%s", recovery).isEqualTo(200);
			JsonNode stored = recovery.json().path("storeLocation");
			if (stored.isString()) {
				expected.add(stored.asString());
			}
		}
		assertThat(objects()).as("no tail, no pending object, no blob but the committed ones")
			.containsExactlyInAnyOrderElementsOf(expected);
		assertThat(multipartUploads()).as("unfinished uploads").isEmpty();
		Response storage = server.operator("admin", this.first.client().adminPassword()).get("/api/v1/storage");
		assertThat(storage.json().path("folders").get(0).path("reservedBytes").asLong()).as("reserved bytes").isZero();
	}

	@Test
	@Order(1)
	void chunksOfOddSizesAreRestoredEqual() throws Exception {
		long size = 26 * MIB + 4321;
		MigrationPair pair = enroll(this.first);
		Grant capture = pair.source().request("CAPTURE");
		URI upload = create(pair.source(), capture.token(), size, SeededStream.sha256(size, 1));
		long offset = 0;
		for (long chunk : new long[] { 3 * MIB + 777, 1, 7 * MIB + 12_345, 5 * MIB - 3 }) {
			offset = sent(patch(pair.source(), upload, capture.token(), size, 1, offset, chunk, 0, null), offset + chunk);
		}
		sent(patch(pair.source(), upload, capture.token(), size, 1, offset, size - offset, 0, null), size);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		assertThat(pair.restore()).isEqualTo(SeededStream.sha256(size, 1));
	}

	@Test
	@Order(2)
	void anUploadGoneOnWithOnTheOtherNodeIsReadBackAndOneWhoseDigestDiffersIsDiscarded() throws Exception {
		long size = 12 * MIB + 99;
		MigrationPair pair = enroll(this.first);
		MigrationPair onSecond = pair.on(this.second.client());
		Grant capture = pair.source().request("CAPTURE");
		// declared: the digest of other bytes
		URI upload = create(pair.source(), capture.token(), size, SeededStream.sha256(size, 99));
		long offset = sent(patch(pair.source(), upload, capture.token(), size, 2, 0, 6 * MIB + 5, 0, null),
				6 * MIB + 5);
		offset = sent(patch(onSecond.source(), upload, capture.token(), size, 2, offset, 3 * MIB, 0, null),
				offset + 3 * MIB);
		HttpResponse<String> refused = patch(pair.source(), upload, capture.token(), size, 2, offset, size - offset, 0,
				null);
		assertThat(refused.statusCode()).as("%s", refused.body()).isEqualTo(400);
		assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(refused.body()).contains("digest-mismatch");
		assertThat(head(pair.source(), upload, capture.token()).statusCode()).isEqualTo(404);
		assertThat(pair.source().release(capture.token(), false).status()).isEqualTo(200);

		// the same upload with the right digest, across both nodes, is stored
		capture = pair.source().request("CAPTURE");
		upload = create(pair.source(), capture.token(), size, SeededStream.sha256(size, 2));
		offset = sent(patch(pair.source(), upload, capture.token(), size, 2, 0, 6 * MIB + 5, 0, null), 6 * MIB + 5);
		offset = sent(patch(onSecond.source(), upload, capture.token(), size, 2, offset, 3 * MIB, 0, null),
				offset + 3 * MIB);
		sent(patch(pair.source(), upload, capture.token(), size, 2, offset, size - offset, 0, null), size);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		assertThat(onSecond.restore()).isEqualTo(SeededStream.sha256(size, 2));
	}

	@Test
	@Order(3)
	void aDigestThatDiffersOnOneNodeIsRefusedBeforeAnythingIsStored() throws Exception {
		long size = 7 * MIB + 1;
		MigrationPair pair = enroll(this.first);
		Grant capture = pair.source().request("CAPTURE");
		URI upload = create(pair.source(), capture.token(), size, SeededStream.sha256(size, 98));
		HttpResponse<String> refused = patch(pair.source(), upload, capture.token(), size, 3, 0, size, 0, null);
		assertThat(refused.statusCode()).as("%s", refused.body()).isEqualTo(400);
		assertThat(refused.body()).contains("digest-mismatch");
		assertThat(pair.source().release(capture.token(), false).status()).isEqualTo(200);
	}

	@Test
	@Order(4)
	void terminationLeavesNoMultipartUploadAndNoSmallObject() throws Exception {
		long size = 20 * MIB;
		MigrationPair pair = enroll(this.first);
		Grant capture = pair.source().request("CAPTURE");
		URI upload = create(pair.source(), capture.token(), size, SeededStream.sha256(size, 4));
		sent(patch(pair.source(), upload, capture.token(), size, 4, 0, 6 * MIB + 3, 0, null), 6 * MIB + 3);
		assertThat(multipartUploads()).hasSize(1);
		assertThat(objects()).filteredOn((object) -> object.contains(pair.associationId()))
			.as("the pending bytes after part 1 and the tail")
			.hasSize(2);
		HttpResponse<String> deleted = pair.source()
			.exchange(HttpRequest.newBuilder(upload)
				.DELETE()
				.header("Tus-Resumable", "1.0.0")
				.header("Authorization", "Bearer " + capture.token())
				.build());
		assertThat(deleted.statusCode()).isEqualTo(204);
		assertThat(head(pair.source(), upload, capture.token()).statusCode()).isEqualTo(404);
		assertThat(pair.source().release(capture.token(), false).status()).isEqualTo(200);
	}

	@Test
	@Order(5)
	void aPartThatANodeSentButNeverRecordedDoneIsAdoptedByTheOtherNode() throws Exception {
		long size = 14 * MIB + 4321;
		Begun begun = begin(size, 6, MIB + 333);
		MigrationPair pair = begun.pair();
		Grant capture = begun.capture();
		URI upload = begun.upload();
		long acknowledged = begun.acknowledged();

		// S3 stores part 1 and answers; the answer never reaches the first node, killed before it records the part
		// done in the ledger
		this.gate.holdAnswersTo((line) -> line.matches("PUT \\S*[?&]partNumber=1(&\\S*)? HTTP/1\\.1"));
		CompletableFuture<HttpResponse<String>> dying = CompletableFuture.supplyAsync(() -> patch(pair.source(),
				upload, capture.token(), size, 6, acknowledged, size - acknowledged, 0, null));
		this.gate.awaitHeldAnswer(Duration.ofSeconds(60));
		assertThat(parts()).as("part 1 in S3").isEqualTo(1);
		assertThat(this.database.column("SELECT part_number || ' ' || status FROM s3_upload_part"))
			.as("the ledger").containsExactly("1 INTENDED");
		kill(this.first, dying);

		MigrationPair onSecond = pair.on(this.second.client());
		long offset = awaitOffsetBeyond(onSecond, upload, capture.token(), acknowledged);
		assertThat(Files.readString(this.second.log())).as("the second node's log").contains("adopted");
		assertThat(this.database.column("SELECT part_number || ' ' || status FROM s3_upload_part"))
			.as("the ledger").containsExactly("1 DONE");
		assertThat(offset).as("rolled forward over part 1, not beyond it").isLessThan(5 * MIB + 1);
		completeAndRestore(onSecond, upload, capture.token(), size, 6, offset);
	}

	@Test
	@Order(6)
	void aNodeKilledAfterItKeptATailAndBeforeItMovedTheOffsetLeavesTheUploadWholeToTheOther() throws Exception {
		long size = 9 * MIB + 77;
		Begun begun = begin(size, 7, MIB + 333);
		MigrationPair pair = begun.pair();
		Grant capture = begun.capture();
		URI upload = begun.upload();
		long acknowledged = begun.acknowledged();

		// the chunk's sealed bytes (the pending object) and its tail are stored; the answer to the tail's PutObject
		// never reaches the first node, killed before it moves the offset
		long chunk = 2 * MIB + 77;
		this.gate.holdAnswersTo((line) -> line.startsWith("PUT ") && line.contains(".tail"));
		CompletableFuture<HttpResponse<String>> dying = CompletableFuture.supplyAsync(() -> patch(pair.source(),
				upload, capture.token(), size, 7, acknowledged, chunk, 0, null));
		assertThat(this.gate.awaitHeldAnswer(Duration.ofSeconds(60))).contains("-" + (acknowledged + chunk) + ".tail");
		assertThat(this.database.column("SELECT upload_offset FROM resumable_upload"))
			.containsExactly(Long.toString(acknowledged));
		kill(this.first, dying);

		// the other node goes on from the offset recorded, or from further on if it rolled forward over what the
		// dead request sealed; never beyond it
		MigrationPair onSecond = pair.on(this.second.client());
		long offset = awaitLeaseFree(onSecond, upload, capture.token());
		assertThat(offset).isBetween(acknowledged, acknowledged + chunk);
		completeAndRestore(onSecond, upload, capture.token(), size, 7, offset);
	}

	@Test
	@Order(7)
	void aNodeKilledInTheMiddleOfAChunkLeavesTheUploadToTheOtherAtOrAfterTheLastAcknowledgedOffset() throws Exception {
		long size = 30 * MIB + 12_345;
		Begun begun = begin(size, 5, 2 * MIB + 333);
		MigrationPair pair = begun.pair();
		Grant capture = begun.capture();
		URI upload = begun.upload();
		long acknowledged = begun.acknowledged();

		AtomicLong handedOut = new AtomicLong(acknowledged);
		CompletableFuture<HttpResponse<String>> large = CompletableFuture.supplyAsync(() -> patch(pair.source(),
				upload, capture.token(), size, 5, acknowledged, size - acknowledged, 3, handedOut));
		// the dead request sends part 1 and part 2 whole before it dies
		Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
		while (parts() < 2) {
			assertThat(Instant.now()).as("the parts did not reach S3 in time").isBefore(deadline);
			Thread.sleep(20);
		}
		this.first.kill();
		assertThat(large).failsWithin(Duration.ofSeconds(30));
		long sent = handedOut.get();

		MigrationPair onSecond = pair.on(this.second.client());
		long offset = awaitOffsetBeyond(onSecond, upload, capture.token(), acknowledged);
		assertThat(offset).as("never before the last acknowledged offset, never beyond the bytes sent")
			.isGreaterThanOrEqualTo(10 * MIB)
			.isLessThanOrEqualTo(sent);
		HttpResponse<String> stale = patch(onSecond.source(), upload, capture.token(), size, 5, acknowledged, 10, 0,
				null);
		assertThat(stale.statusCode()).as("what was sealed is never sealed again").isEqualTo(409);

		completeAndRestore(onSecond, upload, capture.token(), size, 5, offset);
	}

	/** An upload created on the first server, its first chunk acknowledged. */
	private record Begun(MigrationPair pair, Grant capture, URI upload, long acknowledged) {
	}

	private Begun begin(long size, long seed, long firstChunk) throws IOException {
		MigrationPair pair = enroll(this.first);
		Grant capture = pair.source().request("CAPTURE");
		URI upload = create(pair.source(), capture.token(), size, SeededStream.sha256(size, seed));
		sent(patch(pair.source(), upload, capture.token(), size, seed, 0, firstChunk, 0, null), firstChunk);
		return new Begun(pair, capture, upload, firstChunk);
	}

	/** Sends the rest of the upload from the offset, commits it and restores it equal, on the pair's server. */
	private static void completeAndRestore(MigrationPair pair, URI upload, String token, long size, long seed,
			long offset) throws Exception {
		sent(patch(pair.source(), upload, token, size, seed, offset, size - offset, 0, null), size);
		assertThat(pair.source().release(token, true).status()).isEqualTo(200);
		assertThat(pair.restore()).isEqualTo(SeededStream.sha256(size, seed));
	}

	/** Kills the server in the middle of a request, whose client then sees its connection end. */
	private void kill(ServerProcess server, CompletableFuture<HttpResponse<String>> request) throws Exception {
		server.kill();
		this.gate.releaseAnswers();
		assertThat(request).failsWithin(Duration.ofSeconds(30));
	}

	/**
	 * Waits until the other node reports an offset beyond the one given: once the dead node's lease was given back
	 * (it has been silent for four reconcile intervals), a HEAD rolls the upload forward over what it stored.
	 */
	private static long awaitOffsetBeyond(MigrationPair pair, URI upload, String token, long offset)
			throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (true) {
			HttpResponse<String> head = head(pair.source(), upload, token);
			assertThat(head.statusCode()).isEqualTo(200);
			long now = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
			if (now > offset) {
				return now;
			}
			assertThat(Instant.now()).as("the other node did not take the upload over and on in time")
				.isBefore(deadline);
			Thread.sleep(500);
		}
	}

	/** Waits until the dead node's lease was given back; returns the offset the upload goes on from. */
	private long awaitLeaseFree(MigrationPair pair, URI upload, String token) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (this.database.column("SELECT store_id FROM resumable_upload WHERE lease_node IS NULL").size() != 1) {
			assertThat(Instant.now()).as("the dead node's lease was not given back in time").isBefore(deadline);
			Thread.sleep(500);
		}
		HttpResponse<String> head = head(pair.source(), upload, token);
		assertThat(head.statusCode()).isEqualTo(200);
		return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
	}

	private MigrationPair enroll(ServerProcess process) {
		MigrationPair pair = MigrationPair.enroll(process.client(), "TUSS3" + (++this.names));
		this.pairs.add(pair);
		return pair;
	}

	private URI create(ComputerClient computer, String token, long size, String sha256) {
		String declared = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256));
		HttpResponse<String> created = computer.exchange(HttpRequest.newBuilder(this.first.client().uri("/api/v1/uploads"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.header("Upload-Length", Long.toString(size))
			.header("Upload-Metadata", "sha256 " + declared)
			.build());
		assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(201);
		return this.first.client().uri(created.headers().firstValue("Location").orElseThrow());
	}

	/** Asserts that the chunk was taken and the upload stands at {@code expected}; returns it. */
	private static long sent(HttpResponse<String> answer, long expected) {
		assertThat(answer.statusCode()).as("%s", answer.body()).isEqualTo(204);
		assertThat(answer.headers().firstValue("Upload-Offset")).contains(Long.toString(expected));
		return expected;
	}

	private static HttpResponse<String> head(ComputerClient computer, URI upload, String token) {
		return computer.exchange(HttpRequest.newBuilder(on(computer, upload))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.build());
	}

	/**
	 * Sends {@code length} bytes of the seeded blob from {@code offset}, to the server of the computer's client,
	 * pausing after each 64 KiB if asked, counting what the body handed out if asked.
	 */
	private static HttpResponse<String> patch(ComputerClient computer, URI upload, String token, long size, long seed,
			long offset, long length, long pauseMillis, AtomicLong handedOut) {
		HttpRequest request = HttpRequest.newBuilder(on(computer, upload))
			.method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers
				.ofInputStream(() -> slice(size, seed, offset, length, pauseMillis, handedOut)), length))
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.header("Upload-Offset", Long.toString(offset))
			.header("Content-Type", "application/offset+octet-stream")
			.build();
		return computer.exchange(request);
	}

	/** The upload's address on the server the computer's client talks to. */
	private static URI on(ComputerClient computer, URI upload) {
		return computer.uri(upload.getPath());
	}

	private static InputStream slice(long size, long seed, long offset, long length, long pauseMillis,
			AtomicLong handedOut) {
		try {
			InputStream seeded = new SeededStream(size, seed);
			seeded.skipNBytes(offset);
			return new FilterInputStream(seeded) {
				private long left = length;

				@Override
				public int read(byte[] b, int off, int len) throws IOException {
					if (this.left == 0) {
						return -1;
					}
					if (pauseMillis > 0) {
						try {
							Thread.sleep(pauseMillis);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
							throw new IOException(ex);
						}
					}
					int n = super.read(b, off, (int) Math.min(Math.min(len, 64 * 1024), this.left));
					if (n > 0) {
						this.left -= n;
						if (handedOut != null) {
							handedOut.addAndGet(n);
						}
					}
					return n;
				}
			};
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** The parts S3 holds of the one unfinished upload in the bucket. */
	private int parts() {
		List<MultipartUpload> uploads = multipartUploads();
		if (uploads.isEmpty()) {
			return 0;
		}
		MultipartUpload upload = uploads.get(0);
		return this.s3.client()
			.listParts((list) -> list.bucket(this.bucket).key(upload.key()).uploadId(upload.uploadId()))
			.parts()
			.size();
	}

	private List<MultipartUpload> multipartUploads() {
		return this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket)).uploads();
	}

	/** The bucket's objects as {@code s3://bucket/key}. */
	private List<String> objects() {
		return this.s3.client()
			.listObjectsV2Paginator((list) -> list.bucket(this.bucket))
			.contents()
			.stream()
			.map(S3Object::key)
			.map((key) -> "s3://" + this.bucket + "/" + key)
			.toList();
	}

	/** The second server reads what the first wrote: the same key-encryption keys (the client CA is in the database). */
	private static void copyKeys(Path from, Path to) throws IOException {
		Path keys = Files.createDirectories(to.resolve("keys"));
		try (DirectoryStream<Path> files = Files.newDirectoryStream(from.resolve("keys"), "master.key")) {
			for (Path file : files) {
				Files.copy(file, keys.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
			}
		}
	}

}
