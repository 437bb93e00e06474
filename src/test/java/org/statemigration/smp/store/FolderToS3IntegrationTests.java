package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.statemigration.smp.console.ConsoleClient;
import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.S3Servers;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;
import org.statemigration.smp.support.cluster.ClusterTest;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The move from a storage folder to an S3 location, as an operator makes it (docs/scale-out.md): the packaged
 * server starts with a folder, captures a version there and starts a resumable upload there; it is started again
 * with only an S3 location (s3proxy, or Ceph RGW with {@code -Dsmp.test.s3=ceph}). The version is restored from
 * the folder, a new capture goes to the bucket and nothing new to the folder, the resumable upload completes in the
 * folder it started in, the storage view lists the folder as no longer configured with what it still holds, and
 * retention drains the folder (and the bucket) until the view no longer lists it; the console's dashboard shows the
 * same. Computers are enrolled and talk
 * TLS to the server as real clients do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ServerProcessTest
@ClusterTest
class FolderToS3IntegrationTests {

	private static final long MIB = 1024 * 1024;

	private static final long X_SIZE = 3 * MIB + 12_345;

	private static final long Y_SIZE = 2 * MIB + 77;

	private static final long T_SIZE = 3 * MIB + 777;

	private static final long T_FIRST = MIB + 5;

	private final S3Endpoint s3 = S3Servers.ofTheRun();

	private ProcessDatabase database;

	private Path dataDir;

	private Path folder;

	private String bucket;

	private String location;

	private ServerProcess process;

	@BeforeAll
	void start() throws Exception {
		this.database = ProcessDatabase.ofTheRun("smp_folder_to_s3");
		this.dataDir = Files.createTempDirectory(Path.of("target"), "folder-to-s3-");
		this.folder = this.dataDir.resolve("stores").toAbsolutePath().normalize();
		this.bucket = this.s3.newBucket("moved");
		this.location = "s3://" + this.bucket + "/stores";
	}

	@AfterAll
	void stop() throws Exception {
		if (this.process != null) {
			this.process.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void theFolderDrainsWhileTheS3LocationTakesTheNewCaptures() throws Exception {
		// with the folder: a version of X, and a resumable upload of T that has its first chunk
		TestServer server = startWithTheFolder();
		MigrationPair x = MigrationPair.enroll(server, "MOVE-X");
		x.capture(X_SIZE, 1);
		assertThat(x.files(this.folder, ".smp")).hasSize(1);
		MigrationPair t = MigrationPair.enroll(server, "MOVE-T");
		Grant tCapture = t.source().request("CAPTURE");
		String upload = createUpload(server, t.source(), tCapture.token());
		HttpResponse<String> first = patch(server, t.source(), upload, tCapture.token(), 0, T_FIRST);
		assertThat(first.statusCode()).as("%s", first.body()).isEqualTo(204);
		JsonNode before = only(storage(server), this.folder.toString());
		assertThat(before.path("configured").asBoolean()).isTrue();
		assertThat(before.path("versions").asLong()).as("X committed, T uploading").isEqualTo(2);

		// the folder taken out of the configuration, the S3 location in: a restart
		this.process.close();
		server = startWithOnlyS3();
		x = x.on(server);
		t = t.on(server);
		JsonNode storage = storage(server);
		assertThat(storage.path("folders")).hasSize(2);
		JsonNode s3 = only(storage, this.location);
		assertThat(s3.path("configured").asBoolean()).isTrue();
		assertThat(s3.path("kind").asString()).isEqualTo("s3");
		assertThat(s3.path("versions").asLong()).isZero();
		JsonNode drained = only(storage, this.folder.toString());
		assertThat(drained.path("configured").asBoolean()).isFalse();
		assertThat(drained.path("kind").asString()).isEqualTo("folder");
		assertThat(drained.path("versions").asLong()).isEqualTo(2);
		assertThat(drained.path("usedBytes").asLong()).isEqualTo(X_SIZE);
		assertThat(drained.path("reservedBytes").asLong()).as("what T has still to write")
			.isPositive()
			.isLessThanOrEqualTo(T_SIZE);
		assertThat(drained.path("clients").asInt()).isEqualTo(2);
		assertThat(drained.path("accepting").asBoolean()).isFalse();
		assertThat(drained.path("maxClients").asInt()).isZero();
		assertThat(drained.path("minFreeSpace").isNull()).isTrue();
		assertThat(drained.path("capacityBytes").isNull()).isTrue();
		String dashboard = dashboard(server);
		assertThat(dashboard).contains(this.folder.toString(), this.location, "no longer configured: draining",
				"2 version(s)");

		// X is restored from the folder
		List<Path> folderFiles = files(this.folder);
		String xRestore = restore(x, X_SIZE, 1);

		// Y goes to the bucket, nothing new to the folder
		MigrationPair y = MigrationPair.enroll(server, "MOVE-Y");
		y.capture(Y_SIZE, 2);
		String yAssociation = y.associationId();
		assertThat(objects()).anyMatch((key) -> key.contains(yAssociation));
		assertThat(files(this.folder)).as("nothing new in the folder").isEqualTo(folderFiles);
		assertThat(only(storage(server), this.location).path("versions").asLong()).isEqualTo(1);

		// T's resumable upload goes on in the folder it started in, and completes there
		HttpResponse<String> rest = patch(server, t.source(), upload, tCapture.token(), T_FIRST, T_SIZE - T_FIRST);
		assertThat(rest.statusCode()).as("%s", rest.body()).isEqualTo(204);
		assertThat(rest.headers().firstValue("Upload-Offset")).contains(Long.toString(T_SIZE));
		assertThat(t.source().release(tCapture.token(), true).status()).isEqualTo(200);
		assertThat(t.files(this.folder, ".smp")).hasSize(1);
		String tAssociation = t.associationId();
		assertThat(objects()).noneMatch((key) -> key.contains(tAssociation));
		drained = only(storage(server), this.folder.toString());
		assertThat(drained.path("versions").asLong()).isEqualTo(2);
		assertThat(drained.path("usedBytes").asLong()).isEqualTo(X_SIZE + T_SIZE);
		assertThat(drained.path("reservedBytes").asLong()).isZero();

		// every restore confirmed: retention deletes X and T from the folder, Y from the bucket
		assertThat(server.admin().patch("/api/v1/settings", Map.of("deleteAfter", "PT1S")).status()).isEqualTo(200);
		String tRestore = restore(t, T_SIZE, 3);
		String yRestore = restore(y, Y_SIZE, 2);
		assertThat(x.destination().release(xRestore, true).status()).isEqualTo(200);
		assertThat(t.destination().release(tRestore, true).status()).isEqualTo(200);
		assertThat(y.destination().release(yRestore, true).status()).isEqualTo(200);
		MigrationPair xOn = x;
		MigrationPair tOn = t;
		await(Duration.ofSeconds(60), () -> xOn.files(this.folder, ".smp").isEmpty()
				&& tOn.files(this.folder, ".smp").isEmpty());
		await(Duration.ofSeconds(60), () -> objects().stream().noneMatch((key) -> key.contains(yAssociation)));
		TestServer last = server;
		await(Duration.ofSeconds(30), () -> storage(last).path("folders").size() == 1);
		JsonNode after = storage(server);
		assertThat(only(after, this.location).path("versions").asLong()).isZero();
		assertThat(after.toString()).as("the drained folder is no longer listed").doesNotContain(this.folder.toString());
		assertThat(dashboard(server)).contains(this.location).doesNotContain(this.folder.toString())
			.doesNotContain("no longer configured");
		assertThat(files(this.folder)).as("nothing left in the folder").noneMatch(
				(file) -> file.toString().contains(xOn.associationId()) || file.toString().contains(tOn.associationId()));
	}

	private TestServer startWithTheFolder() throws IOException {
		this.process = ServerProcess.start(this.dataDir, "256m", this.database.arguments(), true,
				"--smp.storage.folders[0].location=" + this.folder, "--smp.storage.folders[0].min-free-space=0MB",
				"--smp.retention.cleanup-interval=PT1S", "--smp.retention.allow-immediate-delete=true");
		return this.process.client();
	}

	private TestServer startWithOnlyS3() throws IOException {
		String s3 = "--smp.storage.folders[0].";
		this.process = ServerProcess.start(this.dataDir, "256m", this.database.arguments(), false,
				s3 + "location=" + this.location, s3 + "capacity=200MB", s3 + "s3.endpoint=" + this.s3.endpoint(),
				s3 + "s3.region=" + this.s3.region(), s3 + "s3.path-style=true",
				s3 + "s3.access-key-id=" + this.s3.accessKeyId(),
				s3 + "s3.secret-access-key=" + this.s3.secretAccessKey(), "--smp.retention.cleanup-interval=PT1S",
				"--smp.retention.allow-immediate-delete=true");
		return this.process.client();
	}

	/** Restores the association's version to its end, checks its SHA-256 and returns the restore's token. */
	private static String restore(MigrationPair pair, long size, long seed) throws IOException {
		Grant restore = pair.destination().request("RESTORE");
		HttpResponse<InputStream> download = pair.destination()
			.downloadTo(restore.storeUrl(), restore.token(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(SeededStream.sha256(download.body())).isEqualTo(SeededStream.sha256(size, seed));
		return restore.token();
	}

	private static String createUpload(TestServer server, ComputerClient computer, String token)
			throws IOException {
		String sha256 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(SeededStream.sha256(T_SIZE, 3)));
		HttpResponse<String> created = computer.exchange(HttpRequest.newBuilder(server.uri("/api/v1/uploads"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.header("Upload-Length", Long.toString(T_SIZE))
			.header("Upload-Metadata", "sha256 " + sha256)
			.build());
		assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(201);
		return created.headers().firstValue("Location").orElseThrow();
	}

	/** Sends {@code length} bytes of T's seeded blob from {@code offset}. */
	private static HttpResponse<String> patch(TestServer server, ComputerClient computer, String upload, String token,
			long offset, long length) throws IOException {
		InputStream seeded = new SeededStream(T_SIZE, 3);
		seeded.skipNBytes(offset);
		byte[] chunk = seeded.readNBytes((int) length);
		return computer.exchange(HttpRequest.newBuilder(server.uri(upload))
			.method("PATCH", HttpRequest.BodyPublishers.ofByteArray(chunk))
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.header("Upload-Offset", Long.toString(offset))
			.header("Content-Type", "application/offset+octet-stream")
			.build());
	}

	/** The console's dashboard, whose storage section lists the locations, as an administrator sees it. */
	private static String dashboard(TestServer server) {
		Page page = ConsoleClient.signedIn(server, "admin", server.adminPassword()).get("/console");
		assertThat(page.status()).isEqualTo(200);
		return page.body();
	}

	private static JsonNode storage(TestServer server) {
		Response storage = server.admin().get("/api/v1/storage");
		assertThat(storage.status()).as("%s", storage).isEqualTo(200);
		return storage.json();
	}

	private static JsonNode only(JsonNode storage, String location) {
		List<JsonNode> matching = StreamSupport.stream(storage.path("folders").spliterator(), false)
			.filter((folder) -> folder.path("location").asString().equals(location))
			.toList();
		assertThat(matching).as("%s in %s", location, storage).hasSize(1);
		return matching.get(0);
	}

	/** Every file under the folder, sorted. */
	private static List<Path> files(Path folder) {
		try (Stream<Path> files = Files.walk(folder)) {
			return files.filter(Files::isRegularFile).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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

}
