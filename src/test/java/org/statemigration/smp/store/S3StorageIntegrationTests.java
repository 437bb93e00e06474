package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.PausingBody;
import org.statemigration.smp.support.S3Servers;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TcpGate;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server with an S3 bucket as its only storage location (s3proxy, or Ceph RGW with
 * {@code -Dsmp.test.s3=ceph}), driven over TLS by enrolled computers: captures by PUT in several parts restored
 * equal, byte ranges across part boundaries, HEAD, retention deleting the objects, the capacity and max-clients
 * refusals, S3 going away mid-capture (503 {@code storage-unavailable}, nothing stored), a tampered object that
 * fails authentication, a resumable upload in chunks of odd sizes restored equal, and the secret key nowhere in the
 * log. After every test the bucket holds exactly the committed versions' objects, no unfinished upload, and nothing
 * is reserved. All S3
 * traffic of the server passes a {@link TcpGate} that the tests can shut. Captures and confirmed restores of data
 * kept in S3 are audited like any others. Runs on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ServerProcessTest
@OnBothDatabases
class S3StorageIntegrationTests {

	private static final long MIB = 1024 * 1024;

	private static final int MAX_CLIENTS = 12;

	private final S3Endpoint s3 = S3Servers.ofTheRun();

	private final List<MigrationPair> pairs = new ArrayList<>();

	private final Set<String> deleted = new HashSet<>();

	private ProcessDatabase database;

	private TcpGate gate;

	private String bucket;

	private Path dataDir;

	private ServerProcess process;

	private TestServer server;

	private String location;

	private int names;

	@BeforeAll
	void start() throws Exception {
		this.database = ProcessDatabase.ofTheRun("smp_s3_storage");
		this.bucket = this.s3.newBucket("server");
		this.location = "s3://" + this.bucket + "/stores";
		this.gate = TcpGate.to(this.s3.endpoint());
		this.dataDir = Files.createTempDirectory(Path.of("target"), "s3-storage-");
		startServer();
	}

	private void startServer() throws IOException {
		String folder = "--smp.storage.folders[0].";
		this.process = ServerProcess.start(this.dataDir, "256m", this.database.arguments(), this.process == null,
				folder + "location=" + this.location, folder + "capacity=200MB", folder + "max-clients=" + MAX_CLIENTS,
				folder + "s3.endpoint=" + this.gate.endpoint(), folder + "s3.region=" + this.s3.region(),
				folder + "s3.path-style=true", folder + "s3.access-key-id=" + this.s3.accessKeyId(),
				folder + "s3.secret-access-key=" + this.s3.secretAccessKey(), "--smp.retention.cleanup-interval=PT1S",
				"--smp.retention.allow-immediate-delete=true");
		this.server = this.process.client();
	}

	@AfterAll
	void stop() throws Exception {
		if (this.process != null) {
			this.process.close();
		}
		if (this.gate != null) {
			this.gate.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@AfterEach
	void bucketHoldsExactlyTheCommittedVersions() throws Exception {
		Set<String> expected = new HashSet<>();
		for (MigrationPair pair : this.pairs) {
			if (this.deleted.contains(pair.associationId())) {
				continue;
			}
			Response recovery = this.server.admin()
				.post("/api/v1/associations/" + pair.associationId() + "/recovery-information",
						Map.of("reason", "checking what the bucket should hold"));
			assertThat(recovery.status()).as("%s", recovery).isEqualTo(200);
			JsonNode stored = recovery.json().path("storeLocation");
			if (stored.isString()) {
				expected.add(stored.asString());
			}
		}
		assertThat(objects()).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket)).uploads())
			.as("unfinished uploads")
			.isEmpty();
		JsonNode folder = storage();
		assertThat(folder.path("reservedBytes").asLong()).as("reserved bytes").isZero();
	}

	@Test
	@Order(1)
	void captureInSeveralPartsIsRestoredEqualWithRangesAcrossPartsAndHead() throws Exception {
		long size = 20 * MIB + 12_345;
		MigrationPair pair = enroll();
		pair.capture(size, 1);
		assertThat(pair.restore()).isEqualTo(SeededStream.sha256(size, 1));

		Grant restore = pair.destination().request("RESTORE");
		byte[] plaintext = new SeededStream(size, 1).readAllBytes();
		// part 1 holds the header and segments 0-7 (plaintext up to 8 MiB), part 2 segments 8-15, part 3 the rest
		for (long[] range : new long[][] { { 8 * MIB - 100, 8 * MIB + 100 }, { 16 * MIB - 1, 16 * MIB },
				{ 3 * MIB + 17, 17 * MIB + 3 }, { size - 10, size - 1 } }) {
			HttpResponse<byte[]> part = pair.destination()
				.download(restore.storeUrl(), restore.token(), "bytes=" + range[0] + "-" + range[1]);
			assertThat(part.statusCode()).isEqualTo(206);
			assertThat(part.body()).isEqualTo(Arrays.copyOfRange(plaintext, (int) range[0], (int) range[1] + 1));
		}
		Response head = pair.destination().head(restore.storeUrl(), restore.token());
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(size));
		assertThat(pair.destination().release(restore.token(), false).status()).isEqualTo(200);

		JsonNode folder = storage();
		assertThat(folder.path("kind").asString()).isEqualTo("s3");
		assertThat(folder.path("capacityBytes").asLong()).isEqualTo(200 * MIB);
		assertThat(folder.path("usedBytes").asLong()).isEqualTo(size);
		assertThat(folder.path("freeBytes").asLong()).isBetween(200 * MIB - size - MIB, 200 * MIB - size);
	}

	@Test
	@Order(2)
	void aCaptureLargerThanTheCapacityIsRefusedBeforeAByteIsStored() {
		MigrationPair pair = enroll();
		Grant capture = pair.source().request("CAPTURE");
		String answer = pair.source().sendHeadOnly("PUT", capture.storeUrl(), Map.of("Authorization",
				"Bearer " + capture.token(), "Content-Length", String.valueOf(300 * MIB), "Expect", "100-continue"));
		assertThat(answer).startsWith("HTTP/1.1 507")
			.doesNotContain("100 Continue")
			.contains("application/problem+json")
			.contains("urn:smp:problem:insufficient-storage");
		assertThat(pair.source().release(capture.token(), false).status()).isEqualTo(200);
		discard(pair);
	}

	@Test
	@Order(3)
	void noMoreClientsThanTheLocationTakesAreGivenACapture() {
		List<Grant> grants = new ArrayList<>();
		List<MigrationPair> waiting = new ArrayList<>();
		try {
			Response refused = null;
			for (int i = 0; i <= MAX_CLIENTS && refused == null; i++) {
				MigrationPair pair = enroll();
				Response answer = pair.source().requestStateStore("CAPTURE");
				if (answer.status() == 200) {
					grants.add(new Grant(null, answer.json().path("token").asString(), null, null, null));
					waiting.add(pair);
				}
				else {
					refused = answer;
				}
			}
			assertThat(refused).as("a capture beyond max-clients").isNotNull();
			assertThat(refused.status()).isEqualTo(507);
			assertThat(refused.problem()).isEqualTo("insufficient-storage");
			assertThat(storage().path("clients").asInt()).isEqualTo(MAX_CLIENTS);
		}
		finally {
			for (int i = 0; i < grants.size(); i++) {
				waiting.get(i).source().release(grants.get(i).token(), false);
			}
			// a capture reported failed keeps its client slot until it expires; deleting the association frees it
			this.pairs.subList(this.pairs.size() - waiting.size() - 1, this.pairs.size()).forEach(this::discard);
		}
		assertThat(storage().path("clients").asInt()).isLessThan(MAX_CLIENTS);
	}

	@Test
	@Order(4)
	void aTamperedObjectFailsAuthenticationAndNoPlaintextOfItIsHandedOut() throws Exception {
		long size = 3 * MIB;
		MigrationPair pair = enroll();
		pair.capture(size, 4);
		String key = objects().stream().filter((k) -> k.contains(pair.associationId())).findFirst().orElseThrow();
		byte[] object = this.s3.client()
			.getObjectAsBytes((get) -> get.bucket(this.bucket).key(key.substring(this.bucket.length() + 6)))
			.asByteArray();
		object[object.length / 2] ^= 1;
		this.s3.client()
			.putObject((put) -> put.bucket(this.bucket).key(key.substring(this.bucket.length() + 6)),
					RequestBody.fromBytes(object));

		Grant restore = pair.destination().request("RESTORE");
		HttpResponse<InputStream> download = pair.destination()
			.downloadTo(restore.storeUrl(), restore.token(), HttpResponse.BodyHandlers.ofInputStream());
		long received = 0;
		boolean broken = download.statusCode() != 200;
		if (!broken) {
			try (InputStream body = download.body()) {
				received = body.transferTo(java.io.OutputStream.nullOutputStream());
			}
			catch (IOException ex) {
				broken = true;
			}
		}
		assertThat(broken || received < size).as("the restore does not end normally").isTrue();
		assertThat(received).as("nothing past the tampered segment").isLessThan(size / 2 + MIB);
		pair.destination().release(restore.token(), false);
	}

	@Test
	@Order(5)
	void aResumableUploadInChunksOfOddSizesOneWithAChecksumIsStoredAndRestoredEqual() throws Exception {
		long size = 11 * MIB + 333;
		MigrationPair pair = enroll();
		Grant capture = pair.source().request("CAPTURE");
		String declared = java.util.Base64.getEncoder()
			.encodeToString(HexFormat.of().parseHex(SeededStream.sha256(size, 5)));
		HttpResponse<String> created = pair.source().exchange(HttpRequest.newBuilder(this.server.uri("/api/v1/uploads"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Length", Long.toString(size))
			.header("Upload-Metadata", "sha256 " + declared)
			.header("Authorization", "Bearer " + capture.token())
			.build());
		assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(201);
		java.net.URI upload = this.server.uri(created.headers().firstValue("Location").orElseThrow());
		byte[] plaintext = new SeededStream(size, 5).readAllBytes();
		long offset = 0;
		for (long end : new long[] { 2 * MIB + 77, 9 * MIB + 1, size }) {
			byte[] bytes = Arrays.copyOfRange(plaintext, (int) offset, (int) end);
			HttpRequest.Builder request = HttpRequest.newBuilder(upload)
				.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(bytes))
				.header("Tus-Resumable", "1.0.0")
				.header("Upload-Offset", Long.toString(offset))
				.header("Content-Type", "application/offset+octet-stream")
				.header("Authorization", "Bearer " + capture.token());
			if (end == 9 * MIB + 1) {
				// held in the local scratch until its checksum is checked
				request.header("Upload-Checksum", "sha256 " + java.util.Base64.getEncoder()
					.encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes)));
			}
			HttpResponse<String> chunk = pair.source().exchange(request.build());
			assertThat(chunk.statusCode()).as("%s", chunk.body()).isEqualTo(204);
			assertThat(chunk.headers().firstValue("Upload-Offset")).contains(Long.toString(end));
			offset = end;
		}
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		assertThat(pair.restore()).isEqualTo(SeededStream.sha256(size, 5));
		assertAudited(pair, "capture.complete", pair.source().name(), size);
	}

	@Test
	@Order(6)
	void retentionDeletesTheObjectsOfARestoredAssociation() throws Exception {
		MigrationPair pair = enroll();
		pair.capture(2 * MIB, 6);
		assertThat(objects()).anyMatch((key) -> key.contains(pair.associationId()));
		OperatorClient admin = this.server.admin();
		assertThat(admin.patch("/api/v1/settings", Map.of("deleteAfter", "PT1S")).status()).isEqualTo(200);
		try {
			Grant restore = pair.destination().request("RESTORE");
			assertThat(pair.destination().download(restore.storeUrl(), restore.token(), null).statusCode()).isEqualTo(200);
			assertThat(pair.destination().release(restore.token(), true).status()).isEqualTo(200);
			assertAudited(pair, "capture.complete", pair.source().name(), 2 * MIB);
			assertAudited(pair, "restore.confirm", pair.destination().name(), 2 * MIB);
			await(Duration.ofSeconds(60), () -> objects().stream().noneMatch((key) -> key.contains(pair.associationId())));
		}
		finally {
			admin.patch("/api/v1/settings", Map.of("deleteAfter", "P1D"));
		}
		this.deleted.add(pair.associationId());
		// the captures of the tests before: by PUT, and the resumable upload
		assertThat(storage().path("usedBytes").asLong()).isEqualTo(20 * MIB + 12_345 + 3 * MIB + 11 * MIB + 333);
	}

	@Test
	@Order(7)
	void theSecretKeyIsNeverShown() throws Exception {
		OperatorClient admin = this.server.admin();
		for (String endpoint : List.of("/actuator/configprops", "/actuator/env")) {
			Response answer = admin.get(endpoint);
			assertThat(answer.status()).as("%s is not exposed", endpoint).isIn(401, 404);
			assertThat(answer.body()).doesNotContain(this.s3.secretAccessKey());
		}
		Response health = admin.get("/actuator/health");
		assertThat(health.body()).contains(this.location).contains("\"kind\":\"s3\"")
			.doesNotContain(this.s3.secretAccessKey());
		assertThat(storage().toString()).doesNotContain(this.s3.secretAccessKey());
		assertThat(Files.readString(this.process.log())).doesNotContain(this.s3.secretAccessKey());
	}

	@Test
	@Order(8)
	void s3GoingAwayDuringACaptureGives503AndStoresNothing() throws Exception {
		MigrationPair pair = enroll();
		Grant capture = pair.source().request("CAPTURE");
		CountDownLatch shut = new CountDownLatch(1);
		long size = 24 * MIB;
		CompletableFuture<Response> upload = CompletableFuture.supplyAsync(() -> pair.source()
			.upload(capture.storeUrl(), capture.token(), () -> new PausingBody(size, 8, 10 * MIB, shut), size, null));
		Response refused;
		try {
			Thread.sleep(3000);
			this.gate.shut();
			shut.countDown();
			refused = upload.get(120, TimeUnit.SECONDS);
		}
		finally {
			shut.countDown();
			this.gate.open();
		}
		assertThat(refused.status()).as("%s", refused).isEqualTo(503);
		assertThat(refused.problem()).isEqualTo("storage-unavailable");
		assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
		assertThat(refused.header("Retry-After")).isNotNull();
		assertThat(refused.body()).contains("nothing was stored").doesNotContain(this.s3.secretAccessKey());
		assertThat(pair.source().release(capture.token(), false).status()).isEqualTo(200);
		assertThat(objects()).noneMatch((key) -> key.contains(pair.associationId()));
		assertThat(Files.readString(this.process.log())).contains("could not").contains(this.location)
			.doesNotContain(this.s3.secretAccessKey());

		// the upload could not be aborted while S3 was away: it stays unfinished, invisible to readers, until the
		// reconciliation at the next start (or the bucket's lifecycle rule) removes it
		this.process.close();
		startServer();
		assertThat(this.s3.client().listMultipartUploads((list) -> list.bucket(this.bucket)).uploads()).isEmpty();
		MigrationPair again = pair.on(this.server);
		again.capture(MIB, 9);
		assertThat(again.restore()).isEqualTo(SeededStream.sha256(MIB, 9));
	}

	private MigrationPair enroll() {
		MigrationPair pair = MigrationPair.enroll(this.server, "S3-" + (++this.names));
		this.pairs.add(pair);
		return pair;
	}

	/** Deletes the association, and with it whatever it holds. */
	/** The one event of the action by the computer, naming the pair and the size of its data. */
	private void assertAudited(MigrationPair pair, String action, String actor, long size) {
		JsonNode events = this.server.admin().get("/api/v1/audit?action=" + action + "&actor=" + actor).json();
		assertThat(events.path("total").asLong()).as("%s by %s", action, actor).isEqualTo(1);
		JsonNode event = events.path("items").get(0);
		assertThat(event.path("target").asString()).isEqualTo(pair.associationId());
		assertThat(event.path("detail").asString()).isEqualTo("source=" + pair.source().name() + " destination="
				+ pair.destination().name() + " sizeBytes=" + size);
	}

	private void discard(MigrationPair pair) {
		Response deleted = this.server.admin().delete("/api/v1/associations/" + pair.associationId() + "?force=true");
		assertThat(deleted.status()).as("%s", deleted).isIn(200, 204);
		this.deleted.add(pair.associationId());
	}

	private JsonNode storage() {
		Response storage = this.server.admin().get("/api/v1/storage");
		assertThat(storage.status()).isEqualTo(200);
		return storage.json().path("folders").get(0);
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

	private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as("waited %s", timeout).isBefore(deadline);
			Thread.sleep(250);
		}
	}

	static String sha256(byte[] bytes) throws Exception {
		return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
	}

}
