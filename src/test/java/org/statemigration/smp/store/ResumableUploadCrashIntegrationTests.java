package org.statemigration.smp.store;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.FaultTest;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged server is killed with SIGKILL in the middle of a large tus {@code PATCH} and started again on the
 * same data dir and database: the upload must still be there, rolled forward from the last offset the server
 * acknowledged over every whole segment the dead request sealed, and resuming from there must give back, byte for
 * byte, what was sent, with the declared SHA-256.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ServerProcessTest
@FaultTest
class ResumableUploadCrashIntegrationTests {

	private static final long MIB = 1024 * 1024;

	private static final long SIZE = 24 * MIB + 12_345;

	private static final long SEED = 11;

	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	static Path temp;

	private ServerProcess process;

	@AfterEach
	void stop() throws InterruptedException {
		if (this.process != null) {
			this.process.close();
			this.process = null;
		}
	}

	@Test
	void killedInTheMiddleOfAChunkTheServerResumesAfterEveryWholeSegmentTheDeadRequestWrote() throws Exception {
		Path dataDir = temp.resolve("data");
		ServerDatabase database = new ServerDatabase(dataDir);
		this.process = start(dataDir);
		MigrationPair pair = MigrationPair.enroll(this.process.client(), "TUSKILL");
		Grant capture = pair.source().request("CAPTURE");
		String location = create(pair.source(), capture.token());
		long acknowledged = 3 * MIB + 777;
		HttpResponse<String> first = patch(pair.source(), location, capture.token(), 0, acknowledged, 0);
		assertThat(first.statusCode()).isEqualTo(204);
		assertThat(first.headers().firstValue("Upload-Offset")).contains(Long.toString(acknowledged));

		Path part = pair.directory(dataDir.resolve("stores")).resolve(location.substring(location.lastIndexOf('/') + 1) + ".part");
		CompletableFuture<HttpResponse<String>> large = CompletableFuture.supplyAsync(
				() -> patch(pair.source(), location, capture.token(), acknowledged, SIZE - acknowledged, 2));
		long sealedBefore = Files.size(part);
		awaitGrowth(part, sealedBefore + 4 * MIB);
		this.process.kill();
		assertThat(large).failsWithin(Duration.ofSeconds(30));
		long left = Files.size(part);
		assertThat(left).as("the dead request left segments the offset does not count")
			.isGreaterThan(SegmentedStreamFormat.segmentOffset(acknowledged / MIB + 1, (int) MIB));
		long whole = SegmentedStreamFormat.completeSegments(left, (int) MIB);

		this.process = start(dataDir);
		MigrationPair restarted = pair.on(this.process.client());
		HttpResponse<String> head = head(restarted.source(), location, capture.token());
		assertThat(head.statusCode()).isEqualTo(200);
		long offset = Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
		assertThat(offset).as("rolled forward over every whole segment the dead request wrote")
			.isGreaterThan(acknowledged)
			.isEqualTo(whole * MIB);
		assertThat(Files.size(part)).as("a torn segment after them is cut")
			.isEqualTo(SegmentedStreamFormat.segmentOffset(whole, (int) MIB));
		try (Stream<Path> files = Files.list(part.getParent())) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.as("the tail of the acknowledged offset is superseded")
				.noneMatch((name) -> name.endsWith(".tail"));
		}
		HttpResponse<String> stale = patch(restarted.source(), location, capture.token(), acknowledged, 10, 0);
		assertThat(stale.statusCode()).as("the sealed segments are never sealed again").isEqualTo(409);

		HttpResponse<String> rest = patch(restarted.source(), location, capture.token(), offset, SIZE - offset, 0);
		assertThat(rest.statusCode()).as("%s", rest.body()).isEqualTo(204);
		assertThat(rest.headers().firstValue("Upload-Offset")).contains(Long.toString(SIZE));
		assertThat(database.uploading()).isZero();
		assertThat(database.uploadReservations()).isZero();
		assertThat(restarted.source().release(capture.token(), true).status()).isEqualTo(200);
		assertThat(restarted.restore()).isEqualTo(SeededStream.sha256(SIZE, SEED));
	}

	@Test
	void killedAfterTheLastSegmentButBeforeTheCommitTheServerCompletesTheUploadWhenAskedWhereItStands()
			throws Exception {
		Path dataDir = temp.resolve("complete");
		ServerDatabase database = new ServerDatabase(dataDir);
		this.process = start(dataDir);
		MigrationPair pair = MigrationPair.enroll(this.process.client(), "TUSDONE");
		Grant capture = pair.source().request("CAPTURE");
		String location = create(pair.source(), capture.token());
		long acknowledged = 2 * MIB + 5;
		assertThat(patch(pair.source(), location, capture.token(), 0, acknowledged, 0).statusCode()).isEqualTo(204);
		String id = location.substring(location.lastIndexOf('/') + 1);
		Path directory = pair.directory(dataDir.resolve("stores"));
		Path part = directory.resolve(id + ".part");
		Path finished = directory.resolve(id + ".smp");

		long sealedBefore = Files.size(part);
		CompletableFuture<HttpResponse<String>> last = CompletableFuture.supplyAsync(
				() -> patch(pair.source(), location, capture.token(), acknowledged, SIZE - acknowledged, 5));
		awaitGrowth(part, sealedBefore + MIB);
		try (AutoCloseable lock = database.lockUpload(id)) {
			// every segment sealed, the file renamed into place; the commit waits for the row
			awaitFile(finished);
			Thread.sleep(300);
			this.process.kill();
		}
		assertThat(last).failsWithin(Duration.ofSeconds(30));
		assertThat(Files.size(finished)).isEqualTo(SegmentedStreamFormat.ciphertextSize(SIZE, (int) MIB));

		this.process = start(dataDir);
		MigrationPair restarted = pair.on(this.process.client());
		HttpResponse<String> head = head(restarted.source(), location, capture.token());
		assertThat(head.statusCode()).isEqualTo(200);
		assertThat(head.headers().firstValue("Upload-Offset")).as("every byte was on disk")
			.contains(Long.toString(SIZE));
		assertThat(database.uploading()).isZero();
		assertThat(database.uploadReservations()).isZero();
		assertThat(database.committedFiles(pair.associationId())).containsExactly(id + ".smp");
		assertThat(head(restarted.source(), location, capture.token()).statusCode()).as("no longer an upload")
			.isEqualTo(404);
		assertThat(restarted.source().release(capture.token(), true).status()).isEqualTo(200);
		assertThat(restarted.restore()).isEqualTo(SeededStream.sha256(SIZE, SEED));
	}

	private String create(ComputerClient computer, String token) throws IOException {
		String sha256 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(SeededStream.sha256(SIZE, SEED)));
		HttpResponse<String> created = computer.exchange(HttpRequest.newBuilder(uri("/api/v1/uploads"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.header("Upload-Length", Long.toString(SIZE))
			.header("Upload-Metadata", "sha256 " + sha256)
			.build());
		assertThat(created.statusCode()).isEqualTo(201);
		return created.headers().firstValue("Location").orElseThrow();
	}

	private HttpResponse<String> head(ComputerClient computer, String location, String token) {
		return computer.exchange(HttpRequest.newBuilder(uri(location))
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.build());
	}

	private static void awaitFile(Path file) throws InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Files.notExists(file)) {
			assertThat(Instant.now()).as("%s did not appear in time", file).isBefore(deadline);
			Thread.sleep(5);
		}
	}

	private URI uri(String path) {
		return this.process.client().uri(path);
	}

	/** Sends {@code length} bytes of the seeded blob from {@code offset}, pausing after each 64 KiB if asked. */
	private HttpResponse<String> patch(ComputerClient computer, String location, String token, long offset,
			long length, long pauseMillis) {
		HttpRequest request = HttpRequest.newBuilder(uri(location))
			.method("PATCH", HttpRequest.BodyPublishers.fromPublisher(
					HttpRequest.BodyPublishers.ofInputStream(() -> slice(offset, length, pauseMillis)), length))
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.header("Upload-Offset", Long.toString(offset))
			.header("Content-Type", "application/offset+octet-stream")
			.build();
		return computer.exchange(request);
	}

	private static InputStream slice(long offset, long length, long pauseMillis) {
		try {
			InputStream seeded = new SeededStream(SIZE, SEED);
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
					}
					return n;
				}
			};
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void awaitGrowth(Path file, long size) throws InterruptedException, IOException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (Files.size(file) < size) {
			assertThat(Instant.now()).as("the chunk did not reach the disk in time").isBefore(deadline);
			Thread.sleep(20);
		}
	}

	private static ServerProcess start(Path dataDir) throws IOException {
		return ServerProcess.start(dataDir, "256m", ServerDatabase.argument(dataDir));
	}

}
