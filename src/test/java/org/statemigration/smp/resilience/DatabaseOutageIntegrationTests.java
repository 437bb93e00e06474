package org.statemigration.smp.resilience;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.DatabaseProxy;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestEnvironments;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL goes away under a running server (a relay between them is cut) and comes back. Meanwhile every
 * answer comes within seconds as 503 {@code database-unavailable} with Retry-After, the right operator password is
 * never answered 401, and health is DOWN. Afterwards, without a restart, what the requests that failed held is
 * released within a few reconciliation intervals: a single-request upload's version, file and reservation, and a
 * resumable upload's lease, so that the upload takes its next chunk and the client's retried upload succeeds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ServerProcessTest
@NeedsPostgres
class DatabaseOutageIntegrationTests {

	private static final long MIB = 1024 * 1024;

	/** Connection timeout (5 s) plus the time to answer, with room for a busy machine. */
	private static final Duration PROMPT = Duration.ofSeconds(12);

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	static Path temp;

	private ProcessDatabase database;

	private DatabaseProxy proxy;

	private ServerProcess process;

	private TestServer server;

	private Path stores;

	@BeforeAll
	void start() throws Exception {
		this.database = ProcessDatabase.freshPostgres("resilience_outage");
		this.proxy = DatabaseProxy.toTestPostgres();
		Path dataDir = temp.resolve("data");
		this.stores = dataDir.resolve("stores");
		this.process = ServerProcess.start(dataDir, "256m",
				List.of("--spring.datasource.url=" + this.proxy.relayed(this.database.jdbcUrl()),
						"--spring.datasource.username=" + TestEnvironments.user(),
						"--spring.datasource.password=" + TestEnvironments.password()),
				true, "--smp.storage.reconcile-interval=PT2S");
		this.server = this.process.client();
	}

	@AfterAll
	void stop() throws Exception {
		if (this.process != null) {
			this.process.close();
		}
		if (this.proxy != null) {
			this.proxy.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void duringAnOutageEveryAnswerIsAPrompt503AndTheRightPasswordIsNever401() throws Exception {
		EnrolledPair pair = EnrolledPair.enroll(this.server, "OUTAGE");
		assertThat(this.server.admin().get("/api/v1/associations").status()).isEqualTo(200);

		this.proxy.cut();
		try {
			assertPromptlyUnavailable(() -> this.server.admin().get("/api/v1/associations"));
			assertPromptlyUnavailable(() -> pair.source().requestStateStore("CAPTURE"));
			assertThat(this.server.anonymous().get("/actuator/health").status()).isEqualTo(503);
		}
		finally {
			this.proxy.restore();
		}

		EnrolledPair.await(Duration.ofSeconds(30), "the operator API back",
				() -> this.server.admin().get("/api/v1/associations").status() == 200);
		EnrolledPair.await(Duration.ofSeconds(30), "health UP",
				() -> this.server.anonymous().get("/actuator/health").status() == 200);
		assertThat(pair.source().requestStateStore("CAPTURE").status()).isEqualTo(200);
	}

	@Test
	void whatFailedRequestsHeldIsReleasedSoonAfterTheDatabaseIsBack() throws Exception {
		// two associations: one capture of an association runs at a time
		EnrolledPair pair = EnrolledPair.enroll(this.server, "STRANDED");
		EnrolledPair tusPair = EnrolledPair.enroll(this.server, "STRANDED-TUS");
		ComputerClient source = pair.source();
		ComputerClient tusSource = tusPair.source();
		Grant capture = source.request("CAPTURE");
		Grant tusCapture = tusSource.request("CAPTURE");
		long tusSize = 4 * MIB;
		String upload = createResumable(tusSource, tusCapture.token(), tusSize);
		assertThat(patch(tusSource, upload, tusCapture.token(), tusSize, 0, MIB, null).statusCode()).isEqualTo(204);

		// a single-request upload and a tus chunk, both in the middle of their bodies when the database goes
		CountDownLatch reached = new CountDownLatch(2);
		CountDownLatch resume = new CountDownLatch(1);
		long putSize = 8 * MIB;
		CompletableFuture<Response> put = CompletableFuture.supplyAsync(() -> source.upload(capture.storeUrl(),
				capture.token(), () -> new PausingStream(putSize, 7, 0, putSize, 3 * MIB, reached, resume), putSize,
				null));
		CompletableFuture<HttpResponse<String>> chunk = CompletableFuture.supplyAsync(
				() -> patch(tusSource, upload, tusCapture.token(), tusSize, MIB, 2 * MIB,
						new PausingStream(tusSize, 1, MIB, 2 * MIB, MIB, reached, resume)));
		assertThat(reached.await(60, TimeUnit.SECONDS)).isTrue();
		Thread.sleep(1000);
		this.proxy.cut();
		long cutAt = System.nanoTime();
		Response failedPut;
		HttpResponse<String> failedChunk;
		try {
			resume.countDown();
			failedPut = put.get(60, TimeUnit.SECONDS);
			failedChunk = chunk.get(60, TimeUnit.SECONDS);
		}
		finally {
			resume.countDown();
			this.proxy.restore();
		}
		assertThat(Duration.ofNanos(System.nanoTime() - cutAt)).as("both answered").isLessThan(PROMPT.multipliedBy(2));
		assertThat(failedPut.status()).as("%s", failedPut).isEqualTo(503);
		assertThat(failedPut.problem()).isEqualTo("database-unavailable");
		assertThat(failedPut.header("Retry-After")).isNotNull();
		assertThat(failedChunk.statusCode()).as("%s", failedChunk.body()).isEqualTo(503);
		assertThat(failedChunk.body()).contains("urn:smp:problem:database-unavailable");

		String uploadId = upload.substring(upload.lastIndexOf('/') + 1);
		EnrolledPair.await(Duration.ofSeconds(30), "the failed upload's version, reservation and lease released",
				() -> strandedRows(pair.associationId()) == 0 && strandedRows(tusPair.associationId()) == 0);
		assertThat(filesOtherThan(pair.associationId(), uploadId)).as("the failed upload's files").isEmpty();
		assertThat(filesOtherThan(tusPair.associationId(), uploadId)).as("files beside the tus upload's").isEmpty();

		// the tus upload takes its next chunk (no 409 from a stranded lease) and completes
		HttpResponse<String> head = tusSource.exchange(tus(upload, tusCapture.token()).method("HEAD",
				HttpRequest.BodyPublishers.noBody()).build());
		assertThat(head.statusCode()).isEqualTo(200);
		long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
		HttpResponse<String> rest = patch(tusSource, upload, tusCapture.token(), tusSize, offset, tusSize - offset,
				null);
		assertThat(rest.statusCode()).as("%s", rest.body()).isEqualTo(204);

		// the client's retry of the failed upload succeeds, and nothing stays reserved after the capture
		Response retried = source.upload(capture.storeUrl(), capture.token(),
				() -> new java.io.ByteArrayInputStream(new byte[(int) MIB]), MIB, null);
		assertThat(retried.status()).as("%s", retried).isEqualTo(201);
		assertThat(source.release(capture.token(), true).status()).isEqualTo(200);
		assertThat(count("SELECT COUNT(*) FROM storage_reservation WHERE association_id = '" + pair.associationId()
				+ "'")).isZero();
	}

	private void assertPromptlyUnavailable(java.util.function.Supplier<Response> request) {
		long start = System.nanoTime();
		Response response = request.get();
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		assertThat(response.status()).as("%s", response).isEqualTo(503);
		assertThat(response.problem()).isEqualTo("database-unavailable");
		assertThat(response.header("Retry-After")).isNotNull();
		assertThat(took).isLessThan(PROMPT);
	}

	/** Rows that only a live request may hold: single-request uploads, their reservations, tus leases. */
	private long strandedRows(String associationId) {
		String association = "'" + associationId + "'";
		return count("SELECT COUNT(*) FROM state_store s WHERE s.association_id = " + association
				+ " AND s.status = 'UPLOADING' AND NOT EXISTS (SELECT 1 FROM resumable_upload u WHERE u.store_id = s.id)")
				+ count("SELECT COUNT(*) FROM storage_reservation r WHERE r.association_id = " + association
						+ " AND r.store_id IS NOT NULL"
						+ " AND NOT EXISTS (SELECT 1 FROM resumable_upload u WHERE u.store_id = r.store_id)")
				+ count("SELECT COUNT(*) FROM resumable_upload WHERE association_id = " + association
						+ " AND lease_node IS NOT NULL");
	}

	private long count(String sql) {
		try (Connection connection = DriverManager.getConnection(this.database.jdbcUrl(), TestEnvironments.user(),
				TestEnvironments.password()); var statement = connection.createStatement();
				var result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private List<Path> filesOtherThan(String associationId, String uploadId) throws Exception {
		Path directory = this.stores.resolve(associationId);
		if (Files.notExists(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.filter((f) -> !f.getFileName().toString().startsWith(uploadId)).toList();
		}
	}

	private String createResumable(ComputerClient computer, String token, long length) {
		HttpResponse<String> created = computer.exchange(tus("/api/v1/uploads", token)
			.POST(HttpRequest.BodyPublishers.noBody())
			.header("Upload-Length", Long.toString(length))
			.build());
		assertThat(created.statusCode()).as("%s", created.body()).isEqualTo(201);
		return created.headers().firstValue("Location").orElseThrow();
	}

	private HttpResponse<String> patch(ComputerClient computer, String location, String token, long size, long offset,
			long length, PausingStream body) {
		java.io.InputStream chunk = (body != null) ? body
				: new PausingStream(size, 1, offset, length, -1, new CountDownLatch(0), new CountDownLatch(0));
		return computer.exchange(tus(location, token)
			.method("PATCH", HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> chunk),
					length))
			.header("Upload-Offset", Long.toString(offset))
			.header("Content-Type", "application/offset+octet-stream")
			.build());
	}

	private HttpRequest.Builder tus(String path, String token) {
		return HttpRequest.newBuilder(path.startsWith("https:") ? URI.create(path) : this.server.uri(path))
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.timeout(Duration.ofSeconds(90));
	}

}
