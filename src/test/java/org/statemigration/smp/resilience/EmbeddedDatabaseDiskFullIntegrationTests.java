package org.statemigration.smp.resilience;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.SmallFileSystem;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole data directory, embedded H2 database included, on a small volume (a 128 MiB tmpfs) with the storage
 * folder's {@code min-free-space} at 0MB. An upload that would eat into the database's reserve
 * ({@code smp.storage.database-reserve}, 48MB here) is refused with 507 before a byte is stored. When something
 * else fills the volume anyway, H2 closes the database and health goes DOWN without the right operator password
 * being answered 401; once the space is freed the same process opens the database again, health is UP and
 * captures and restores work, without a restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ServerProcessTest
class EmbeddedDatabaseDiskFullIntegrationTests {

	private static final long MIB = 1024 * 1024;

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	static Path temp;

	private SmallFileSystem volume;

	private ServerProcess process;

	private TestServer server;

	@BeforeAll
	void mountAndStart() throws Exception {
		this.volume = SmallFileSystem.mount(temp.resolve("data"), 128);
		this.process = ServerProcess.start(this.volume.path(), "256m", "--smp.storage.database-reserve=48MB",
				"--smp.storage.reconcile-interval=PT2S");
		this.server = this.process.client();
	}

	@AfterAll
	void stopAndUnmount() throws Exception {
		if (this.process != null) {
			this.process.close();
		}
		if (this.volume != null) {
			this.volume.close();
		}
	}

	@Test
	void uploadsStopBeforeTheDatabaseVolumeFillsAndAClosedDatabaseIsReopenedOnceSpaceIsBack() throws Exception {
		EnrolledPair pair = EnrolledPair.enroll(this.server, "CROWDED");
		capture(pair, 8 * MIB, 1);

		// more than the volume has above the database's reserve, though min-free-space is 0MB: refused up front
		Grant capture = pair.source().request("CAPTURE");
		long usable = Files.getFileStore(this.volume.path()).getUsableSpace();
		long tooMuch = usable - 24 * MIB;
		String refused = pair.source().sendHeadOnly("PUT", capture.storeUrl(), Map.of("Authorization",
				"Bearer " + capture.token(), "Content-Length", Long.toString(tooMuch), "Expect", "100-continue"));
		assertThat(refused).startsWith("HTTP/1.1 507").contains("urn:smp:problem:insufficient-storage");
		assertThat(pair.source().release(capture.token(), false).status()).isEqualTo(200);
		assertThat(Files.getFileStore(this.volume.path()).getUsableSpace()).isGreaterThan(48 * MIB);

		// something else takes the rest of the volume: the database's next write fails and H2 closes it
		Path filler = this.volume.path().resolve("filler");
		fill(filler);
		try {
			EnrolledPair.await(Duration.ofSeconds(30), "health DOWN",
					() -> this.server.anonymous().get("/actuator/health").status() == 503);
			Response health = this.server.admin().get("/actuator/health");
			assertThat(health.status()).as("the right password: %s", health).isIn(503);
			JsonNode components = health.json().path("components");
			if (!components.isMissingNode()) {
				assertThat(components.path("database").path("status").asString()).isEqualTo("DOWN");
			}
			Response operators = this.server.admin().get("/api/v1/associations");
			assertThat(operators.status()).as("never 401 for the right password: %s", operators).isIn(200, 503);
		}
		finally {
			Files.deleteIfExists(filler);
		}

		// room again: the same process opens the database again
		long pid = this.process.pid();
		EnrolledPair.await(Duration.ofSeconds(60), "health UP",
				() -> this.server.anonymous().get("/actuator/health").status() == 200);
		assertThat(this.server.admin().get("/api/v1/associations").status()).isEqualTo(200);
		capture(pair, 8 * MIB, 2);
		assertThat(restore(pair)).isEqualTo(SeededStream.sha256(8 * MIB, 2));
		assertThat(this.process.pid()).isEqualTo(pid);
	}

	private static void capture(EnrolledPair pair, long size, long seed) {
		Grant capture = pair.source().request("CAPTURE");
		Response stored = pair.source().upload(capture.storeUrl(), capture.token(), () -> new SeededStream(size, seed),
				size, null);
		assertThat(stored.status()).as("capture upload: %s", stored).isEqualTo(201);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
	}

	private static String restore(EnrolledPair pair) throws IOException {
		Grant restore = pair.destination().request("RESTORE");
		HttpResponse<InputStream> download = pair.destination().downloadTo(restore.storeUrl(), restore.token(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(download.statusCode()).isEqualTo(200);
		return SeededStream.sha256(download.body());
	}

	/** Writes to the file until the volume is full. */
	private static void fill(Path file) throws IOException {
		byte[] block = new byte[(int) MIB];
		try (OutputStream out = Files.newOutputStream(file)) {
			for (int i = 0; i < 1024; i++) {
				out.write(block);
			}
		}
		catch (IOException full) {
			if (full.getMessage() == null || !full.getMessage().contains("No space left")) {
				throw full;
			}
		}
	}

}
