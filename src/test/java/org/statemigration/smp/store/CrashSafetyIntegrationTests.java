package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.FaultTest;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The packaged server is killed with SIGKILL (as by a power cut or the OOM killer) while an upload and a restore
 * run, and when an upload's whole body is in; it is started again on the same data dir and H2 database. Each time
 * the association's data must be the previous version or the new one, whole and restorable, never a mix; nothing
 * half-written may remain on disk or in the database, and no reservation may outlive the upload it was for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ServerProcessTest
@FaultTest
class CrashSafetyIntegrationTests {

	private static final long MIB = 1024 * 1024;

	private static final long VERSION_1_SIZE = 8 * MIB;

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	static Path temp;

	private Path dataDir;

	private Path stores;

	private ServerProcess process;

	private ServerDatabase database;

	@BeforeAll
	void start() throws IOException {
		this.dataDir = temp.resolve("data");
		this.stores = this.dataDir.resolve("stores");
		this.database = new ServerDatabase(this.dataDir);
		this.process = startServer();
	}

	@AfterAll
	void stop() throws InterruptedException {
		if (this.process != null) {
			this.process.close();
		}
	}

	@Test
	void killDuringAnUploadAndARestoreLosesNothingAndLeavesNothingHalfWritten() throws Exception {
		MigrationPair uploading = MigrationPair.enroll(this.process.client(), "UPLOADING");
		uploading.capture(VERSION_1_SIZE, 1);
		Path version1 = single(uploading.files(this.stores, ".smp"));
		String version1Ciphertext = SeededStream.sha256(version1);
		MigrationPair restoring = MigrationPair.enroll(this.process.client(), "RESTORING");
		long restoredSize = 32 * MIB;
		restoring.capture(restoredSize, 5);
		Path restored = single(restoring.files(this.stores, ".smp"));
		String restoredCiphertext = SeededStream.sha256(restored);

		Grant capture = uploading.source().request("CAPTURE");
		CompletableFuture<Response> upload = uploadInBackground(uploading, capture,
				() -> new SeededStream(300 * MIB, 2), -1);
		Path part = await(20, () -> uploading.files(this.stores, ".part")
			.stream()
			.filter((p) -> size(p) > 16 * MIB)
			.findFirst()
			.orElse(null));
		Grant restore = restoring.destination().request("RESTORE");
		HttpResponse<InputStream> download = restoring.destination().downloadTo(restore.storeUrl(), restore.token(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(download.statusCode()).isEqualTo(200);
		try (InputStream body = download.body()) {
			assertThat(body.readNBytes((int) (4 * MIB))).hasSize((int) (4 * MIB));
			crash(upload);
			assertThatException().as("the download broke off").isThrownBy(() -> SeededStream.sha256(body));
		}
		assertThat(part).as("the crash left the half-written upload behind").exists();
		long logBeforeRestart = Files.size(this.process.log());

		MigrationPair uploadingAgain = restart(uploading);
		assertThat(uploading.files(this.stores, ".part")).isEmpty();
		assertThat(uploading.files(this.stores, ".smp")).containsExactly(version1);
		assertThat(SeededStream.sha256(version1)).isEqualTo(version1Ciphertext);
		assertThat(restoring.files(this.stores, ".smp")).containsExactly(restored);
		assertThat(SeededStream.sha256(restored)).isEqualTo(restoredCiphertext);
		assertThat(this.database.uploading()).isZero();
		assertThat(this.database.uploadReservations()).isZero();
		assertThat(Files.readString(this.process.log()).substring((int) logBeforeRestart))
			.contains("Deleted leftover " + part);

		Response released = uploadingAgain.source().release(capture.token(), true);
		assertThat(released.status()).as("release: %s", released).isEqualTo(200);
		assertThat(uploadingAgain.restore()).isEqualTo(SeededStream.sha256(VERSION_1_SIZE, 1));
		assertThat(restoring.on(this.process.client()).restore()).isEqualTo(SeededStream.sha256(restoredSize, 5));
	}

	@Test
	void killWhenTheWholeBodyIsInLeavesEitherVersionWholeAndNothingElse() throws Exception {
		MigrationPair pair = MigrationPair.enroll(this.process.client(), "BODYIN");
		pair.capture(VERSION_1_SIZE, 3);
		Path version1 = single(pair.files(this.stores, ".smp"));
		long size = 96 * MIB;

		Grant capture = pair.source().request("CAPTURE");
		CompletableFuture<Response> upload = uploadInBackground(pair, capture, () -> new SeededStream(size, 4), size);
		// the body is all on disk once the temporary file holds its last segment, or has been renamed into place
		await(0, () -> (upload.isDone() || !pair.files(this.stores, ".smp").equals(List.of(version1))
				|| pair.files(this.stores, ".part").stream().anyMatch((p) -> size(p) >= size)) ? Boolean.TRUE : null);
		Response answer = crash(upload);
		boolean acknowledged = answer != null && answer.status() == 201;
		MigrationPair restarted = restart(pair);

		assertThat(pair.files(this.stores, ".part")).isEmpty();
		List<Path> kept = pair.files(this.stores, ".smp");
		assertThat(kept).hasSize(1);
		assertThat(this.database.committedFiles(pair.associationId()))
			.containsExactly(kept.get(0).getFileName().toString());
		assertThat(this.database.uploading()).isZero();
		assertThat(this.database.uploadReservations()).isZero();
		if (acknowledged) {
			assertThat(kept).doesNotContain(version1);
		}

		assertThat(restarted.source().release(capture.token(), true).status()).isEqualTo(200);
		String restored = restarted.restore();
		assertThat(restored).isIn(SeededStream.sha256(VERSION_1_SIZE, 3), SeededStream.sha256(size, 4));
		assertThat(restored.equals(SeededStream.sha256(size, 4))).isEqualTo(!kept.contains(version1));
	}

	private CompletableFuture<Response> uploadInBackground(MigrationPair pair, Grant capture,
			Supplier<InputStream> body, long length) {
		return CompletableFuture
			.supplyAsync(() -> pair.source().upload(capture.storeUrl(), capture.token(), body, length, null));
	}

	/**
	 * Kills the server with SIGKILL, then waits for the client's upload to notice; returns the answer if the upload
	 * got one before the kill, else null.
	 */
	private Response crash(CompletableFuture<Response> upload) throws Exception {
		this.process.kill();
		try {
			return upload.get(30, TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			// the connection died with the server
			return null;
		}
	}

	/** Starts the server again on the same data dir; it listens on a new port. */
	private MigrationPair restart(MigrationPair pair) throws IOException {
		this.process = startServer();
		return pair.on(this.process.client());
	}

	private ServerProcess startServer() throws IOException {
		return ServerProcess.start(this.dataDir, "256m", ServerDatabase.argument(this.dataDir));
	}

	/** Polls until the condition gives a value; a pause of 0 polls as fast as it can, to catch a short moment. */
	private static <T> T await(long pauseMillis, Supplier<T> condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Instant.now().isBefore(deadline)) {
			T value = condition.get();
			if (value != null) {
				return value;
			}
			Thread.sleep(pauseMillis);
		}
		throw new AssertionError("Waited 60 s in vain");
	}

	private static Path single(List<Path> files) {
		assertThat(files).hasSize(1);
		return files.get(0);
	}

	private static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			// renamed or deleted meanwhile
			return -1;
		}
	}

}
