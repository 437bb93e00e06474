package org.statemigration.smp.managementpoint;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLSocket;

import io.tus.java.client.TusClient;
import io.tus.java.client.TusURLMemoryStore;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.retention.RetentionJob;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestClock;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resumable capture uploads over tus 1.0.0: with a third-party tus client, and request by request for each rule of
 * the protocol, each refusal and each durability promise. The test servers run with a 32 MB quota.
 */
@IntegrationTest
@OnBothDatabases
class ResumableUploadIntegrationTests extends ManagementPointTestSupport {

	private static final int MIB = 1024 * 1024;

	private static final byte[] MARKER = "SMP-TUS-PLAINTEXT-MARKER-4b1e".getBytes();

	@Autowired
	TestClock clock;

	@Autowired
	RetentionJob retention;

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void resetClockAndSettings() {
		this.clock.reset();
		this.admin.patch("/api/v1/settings", Map.of("uploadExpiry", "PT24H"));
	}

	@Test
	void thirdPartyTusClientUploadsInChunksOfDifferentSizesResumesAfterAnInterruptionAndTheRestoreMatches()
			throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(3 * MIB + 12_345);
		TusURLMemoryStore urls = new TusURLMemoryStore();

		TusClient first = tusClient(pair.source(), capture.token(), urls);
		TusUploader uploader = first.createUpload(tusUpload(data));
		uploader.setChunkSize(16 * 1024);
		uploader.setRequestPayloadSize(100 * 1024);
		while (uploader.getOffset() < 300 * 1024) {
			uploader.uploadChunk();
		}
		uploader.setRequestPayloadSize(MIB + 333);
		while (uploader.getOffset() < 1_500_000) {
			uploader.uploadChunk();
		}
		long interruptedAt = uploader.getOffset();
		// the client stops here: its process ends, the next one resumes from what the server says
		uploader.finish(false);
		assertThat(head(pair.source(), uploader.getUploadURL().toString(), capture.token()).header("Upload-Offset"))
			.isEqualTo(Long.toString(interruptedAt));

		TusClient second = tusClient(pair.source(), capture.token(), urls);
		TusUploader resumed = second.resumeUpload(tusUpload(data));
		assertThat(resumed.getOffset()).isEqualTo(interruptedAt);
		resumed.setChunkSize(64 * 1024);
		resumed.setRequestPayloadSize(700_001);
		while (resumed.uploadChunk() > -1) {
			// on to the end
		}
		resumed.finish();
		assertThat(resumed.getOffset()).isEqualTo(data.length);

		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		assertThat(this.admin.association(pair.associationId()).path("storeSha256").asString()).isEqualTo(sha256Hex(data));
		Grant restore = pair.destination().request("RESTORE");
		byte[] restored = pair.destination().download(restore.storeUrl(), restore.token(), null).body();
		assertThat(restored).isEqualTo(data);
		assertThat(sha256Hex(restored)).isEqualTo(sha256Hex(data));
	}

	@Test
	void discoveryAnnouncesVersionExtensionsMaximumSizeAndChecksums() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		HttpResponse<String> response = pair.source()
			.exchange(HttpRequest.newBuilder(uploads()).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
		assertThat(response.statusCode()).isEqualTo(204);
		assertThat(response.headers().firstValue("Tus-Resumable")).contains("1.0.0");
		assertThat(response.headers().firstValue("Tus-Version")).contains("1.0.0");
		assertThat(response.headers().firstValue("Tus-Extension")).hasValueSatisfying((extensions) -> assertThat(
				extensions.split(",")).contains("creation", "creation-with-upload", "expiration", "checksum",
						"termination"));
		assertThat(response.headers().firstValue("Tus-Max-Size")).contains(Long.toString(32L * MIB));
		assertThat(response.headers().firstValue("Tus-Checksum-Algorithm")).contains("sha1,sha256");
	}

	@Test
	void creationWithUploadKeepsTheFirstChunkAndAChunkSmallerThanASegmentMakesProgress() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(2 * MIB + 100);
		Response created = send(pair.source(), "POST", uploads(), capture.token(), Arrays.copyOf(data, 100_000),
				Map.of("Upload-Length", Long.toString(data.length), "Upload-Metadata", "sha256 " + sha256Base64(data),
						"Content-Type", "application/offset+octet-stream"));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.header("Location")).startsWith("/api/v1/uploads/");
		assertThat(created.header("Upload-Offset")).isEqualTo("100000");
		assertThat(created.header("Upload-Expires")).endsWith(" GMT");
		URI upload = this.server.uri(created.header("Location"));

		Response patched = patch(pair.source(), upload, capture.token(), 100_000, Arrays.copyOfRange(data, 100_000, 200_000));
		assertThat(patched.status()).isEqualTo(204);
		assertThat(patched.header("Upload-Offset")).isEqualTo("200000");
		assertThat(patched.header("Upload-Expires")).endsWith(" GMT");
		Response done = patch(pair.source(), upload, capture.token(), 200_000, Arrays.copyOfRange(data, 200_000, data.length));
		assertThat(done.status()).isEqualTo(204);
		assertThat(done.header("Upload-Offset")).isEqualTo(Long.toString(data.length));
		assertThat(head(pair.source(), upload.toString(), capture.token()).status()).as("finished: no longer an upload")
			.isEqualTo(404);

		assertThat(restored(pair, capture)).isEqualTo(data);
	}

	@Test
	void anEmptyUploadIsCompleteAtCreation() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response created = create(pair.source(), capture.token(), 0);
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.header("Upload-Offset")).isEqualTo("0");
		assertThat(restored(pair, capture)).isEmpty();
	}

	@Test
	void headTellsTheDurableOffsetAndIsNeverCached() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		URI upload = location(create(pair.source(), capture.token(), 5 * MIB));
		patch(pair.source(), upload, capture.token(), 0, randomBytes(MIB + 1));
		Response head = head(pair.source(), upload.toString(), capture.token());
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.header("Upload-Offset")).isEqualTo(Long.toString(MIB + 1));
		assertThat(head.header("Upload-Length")).isEqualTo(Long.toString(5 * MIB));
		assertThat(head.header("Cache-Control")).isEqualTo("no-store");
		assertThat(head.header("Tus-Resumable")).isEqualTo("1.0.0");
	}

	@Test
	void chunkAtAnotherOffsetIsAConflictAndChangesNothing() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		URI upload = location(create(pair.source(), capture.token(), MIB));
		patch(pair.source(), upload, capture.token(), 0, randomBytes(1000));
		Response response = patch(pair.source(), upload, capture.token(), 500, randomBytes(1000));
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.problem()).isEqualTo("invalid-state");
		assertThat(response.header("Tus-Resumable")).isEqualTo("1.0.0");
		assertThat(offset(pair.source(), upload, capture.token())).isEqualTo(1000);
	}

	@Test
	void chunkThatFailsItsChecksumIsRefusedAndNothingOfItIsKept() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(3 * MIB);
		URI upload = location(create(pair.source(), capture.token(), data.length));
		byte[] first = Arrays.copyOf(data, 1_500_000);
		assertThat(patch(pair.source(), upload, capture.token(), 0, first, "sha1 " + digestBase64("SHA-1", first)).status())
			.isEqualTo(204);
		byte[] second = Arrays.copyOfRange(data, 1_500_000, data.length);
		Response refused = patch(pair.source(), upload, capture.token(), 1_500_000, second,
				"sha256 " + digestBase64("SHA-256", first));
		assertThat(refused.status()).isEqualTo(460);
		assertThat(refused.problem()).isEqualTo("digest-mismatch");
		assertThat(offset(pair.source(), upload, capture.token())).isEqualTo(1_500_000);
		assertThat(patch(pair.source(), upload, capture.token(), 1_500_000, second,
				"sha256 " + digestBase64("SHA-256", second)).status()).isEqualTo(204);
		assertThat(restored(pair, capture)).isEqualTo(data);
	}

	@Test
	void chunkWithAnotherContentTypeIsAnUnsupportedMediaType() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		URI upload = location(create(pair.source(), capture.token(), 1000));
		Response response = send(pair.source(), "PATCH", upload, capture.token(), new byte[10],
				Map.of("Upload-Offset", "0", "Content-Type", "application/octet-stream"));
		assertThat(response.status()).isEqualTo(415);
		assertThat(response.problem()).isEqualTo("unsupported-media-type");
		assertThat(offset(pair.source(), upload, capture.token())).isZero();
	}

	@Test
	void lengthsAndOffsetsMustBePlainDigits() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		for (String length : new String[] { "+10", "1e3", "0x10", " 1 0" }) {
			assertProblem(send(pair.source(), "POST", uploads(), capture.token(), null, Map.of("Upload-Length", length)),
					400, "validation");
		}
		URI upload = location(create(pair.source(), capture.token(), 1000));
		assertProblem(send(pair.source(), "PATCH", upload, capture.token(), new byte[10],
				Map.of("Upload-Offset", "+0", "Content-Type", "application/offset+octet-stream")), 400, "validation");
		assertThat(offset(pair.source(), upload, capture.token())).isZero();
	}

	@Test
	void checksumWithAnAlgorithmTheServerCannotCheckOrOfTheWrongLengthIsRefused() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		URI upload = location(create(pair.source(), capture.token(), 1000));
		byte[] chunk = randomBytes(100);
		for (String checksum : new String[] { "md5 " + digestBase64("MD5", chunk),
				"sha1 " + digestBase64("SHA-256", chunk), "sha256 " + digestBase64("SHA-1", chunk) }) {
			Response refused = patch(pair.source(), upload, capture.token(), 0, chunk, checksum);
			assertThat(refused.status()).as(checksum).isEqualTo(400);
			assertThat(refused.problem()).isEqualTo("validation");
		}
		assertThat(offset(pair.source(), upload, capture.token())).isZero();
	}

	@Test
	void uploadOverTheMaximumSizeOrAChunkBeyondTheLengthIsTooLarge() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response tooLarge = create(pair.source(), capture.token(), 32L * MIB + 1);
		assertThat(tooLarge.status()).isEqualTo(413);
		assertThat(tooLarge.problem()).isEqualTo("quota-exceeded");
		URI upload = location(create(pair.source(), capture.token(), 1000));
		Response beyond = patch(pair.source(), upload, capture.token(), 0, new byte[1001]);
		assertThat(beyond.status()).isEqualTo(413);
		assertThat(beyond.problem()).isEqualTo("quota-exceeded");
		assertThat(offset(pair.source(), upload, capture.token())).isZero();
	}

	@Test
	void anotherTusVersionIsAFailedPrecondition() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		HttpResponse<String> response = pair.source().exchange(HttpRequest.newBuilder(uploads())
			.header("Tus-Resumable", "0.2.2")
			.header("Upload-Length", "10")
			.header("Authorization", "Bearer " + capture.token())
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(response.statusCode()).isEqualTo(412);
		assertThat(response.headers().firstValue("Tus-Version")).contains("1.0.0");
		assertThat(response.headers().firstValue("Tus-Resumable")).contains("1.0.0");
		HttpResponse<String> without = pair.source().exchange(HttpRequest.newBuilder(uploads())
			.header("Upload-Length", "10")
			.header("Authorization", "Bearer " + capture.token())
			.POST(HttpRequest.BodyPublishers.noBody())
			.build());
		assertThat(without.statusCode()).isEqualTo(412);
		assertThat(without.headers().firstValue("Tus-Version")).contains("1.0.0");
		assertThat(without.body()).contains("urn:smp:problem:validation");
	}

	@Test
	void uploadIdleLongerThanTheUploadExpiryIsGoneAndCleanupReleasesIt() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		assertThat(this.admin.patch("/api/v1/settings", Map.of("uploadExpiry", "PT10M")).status()).isEqualTo(200);
		Grant capture = pair.source().request("CAPTURE");
		URI upload = location(create(pair.source(), capture.token(), 3 * MIB));
		patch(pair.source(), upload, capture.token(), 0, randomBytes(MIB + 5));
		this.clock.advance(Duration.ofMinutes(9));
		assertThat(patch(pair.source(), upload, capture.token(), MIB + 5, randomBytes(10)).status())
			.as("active within the expiry").isEqualTo(204);

		this.clock.advance(Duration.ofMinutes(11));
		Response gone = patch(pair.source(), upload, capture.token(), MIB + 15, randomBytes(10));
		assertThat(gone.status()).isEqualTo(410);
		assertThat(gone.problem()).isEqualTo("not-found");
		assertThat(head(pair.source(), upload.toString(), capture.token()).status()).isEqualTo(410);

		this.retention.runOnce();
		assertThat(head(pair.source(), upload.toString(), capture.token()).status()).isEqualTo(404);
		assertThat(filesOf(pair)).isEmpty();
	}

	@Test
	void wholeBlobWhoseDigestDiffersFromTheDeclaredOneIsDiscarded() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(MIB + 7);
		Response created = send(pair.source(), "POST", uploads(), capture.token(), null,
				Map.of("Upload-Length", Long.toString(data.length), "Upload-Metadata",
						"sha256 " + sha256Base64(randomBytes(5))));
		URI upload = location(created);
		Response response = patch(pair.source(), upload, capture.token(), 0, data);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.problem()).isEqualTo("digest-mismatch");
		assertThat(head(pair.source(), upload.toString(), capture.token()).status()).isEqualTo(404);
		assertThat(this.admin.association(pair.associationId()).path("storeSizeBytes").isNull()).isTrue();
		assertThat(filesOf(pair)).isEmpty();
	}

	@Test
	void terminationEndsTheUploadAndReleasesItsReservation() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		long reservedBefore = reservedBytes();
		URI upload = location(create(pair.source(), capture.token(), 20L * MIB));
		assertThat(reservedBytes()).isGreaterThan(reservedBefore + 19L * MIB);
		patch(pair.source(), upload, capture.token(), 0, randomBytes(MIB + 3));
		Response deleted = send(pair.source(), "DELETE", upload, capture.token(), null, Map.of());
		assertThat(deleted.status()).isEqualTo(204);
		assertThat(head(pair.source(), upload.toString(), capture.token()).status()).isEqualTo(404);
		assertThat(reservedBytes()).isLessThan(reservedBefore + 20L * MIB);
		assertThat(filesOf(pair)).isEmpty();
	}

	@Test
	void requestsWithoutTokenFromAnotherComputerOrForAnotherAssociationAreRefusedLikeAPut() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Pair other = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Grant otherCapture = other.source().request("CAPTURE");
		URI upload = location(create(pair.source(), capture.token(), 1000));

		Response anonymous = send(this.server.computer("STRANGER"), "HEAD", upload, null, null, Map.of());
		assertThat(anonymous.status()).isEqualTo(401);
		assertThat(anonymous.header("Tus-Resumable")).isEqualTo("1.0.0");
		assertProblem(send(this.server.computer("STRANGER"), "POST", uploads(), null, null,
				Map.of("Upload-Length", "10")), 401, "unauthorized");
		assertThat(this.server.computer("STRANGER")
			.exchange(HttpRequest.newBuilder(uploads()).method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build())
			.statusCode()).as("discovery needs a client certificate").isEqualTo(401);

		assertProblem(patch(pair.source(), upload, null, 0, new byte[10]), 401, "token-invalid");
		assertProblem(create(pair.source(), null, 10), 401, "token-invalid");
		// the other computer with its own capture token, on this association's upload
		assertProblem(patch(other.source(), upload, otherCapture.token(), 0, new byte[10]), 403, "forbidden");
		assertProblem(send(other.source(), "DELETE", upload, otherCapture.token(), null, Map.of()), 403, "forbidden");
		assertThat(head(other.source(), upload.toString(), otherCapture.token()).status()).isEqualTo(403);
		// the other computer with this association's token: bound to another certificate
		assertProblem(patch(other.source(), upload, capture.token(), 0, new byte[10]), 401, "token-invalid");
		// the destination: no capture token to be had, and a restore token does not do
		Grant restore = capturedAndRestoring(pair, capture);
		assertProblem(create(pair.destination(), restore.token(), 10), 403, "forbidden");

		assertThat(offset(pair.source(), upload, capture.token())).as("still untouched, the capture is over")
			.isEqualTo(-1);
	}

	@Test
	void chunkThatBreaksOffKeepsWhatArrivedAndTheUploadGoesOnFromThere() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(3 * MIB);
		URI upload = location(create(pair.source(), capture.token(), data.length));
		int sent = 2 * MIB + 54_321;
		try (SSLSocket socket = (SSLSocket) pair.source().sslContext().getSocketFactory()
			.createSocket(upload.getHost(), upload.getPort())) {
			String head = "PATCH " + upload.getRawPath() + " HTTP/1.1\r\nHost: " + upload.getHost() + ":"
					+ upload.getPort() + "\r\nAuthorization: Bearer " + capture.token()
					+ "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: 0\r\nContent-Type: application/offset+octet-stream"
					+ "\r\nContent-Length: " + data.length + "\r\n\r\n";
			socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
			socket.getOutputStream().write(data, 0, sent);
			socket.getOutputStream().flush();
			Thread.sleep(500);
		}
		long kept = awaitOffsetAbove(pair.source(), upload, capture.token(), 0);
		assertThat(kept).as("what arrived, short of what was read into a buffer when it broke")
			.isGreaterThan(MIB)
			.isLessThanOrEqualTo(sent);
		assertThat(Files.size(part(pair, upload))).as("every whole segment on disk is counted, and nothing more")
			.isEqualTo(SegmentedStreamFormat.segmentOffset(kept / MIB, MIB));

		assertThat(patchOnceTheOtherHasEnded(pair.source(), upload, capture.token(), kept,
				Arrays.copyOfRange(data, (int) kept, data.length))
			.status()).isEqualTo(204);
		assertThat(restored(pair, capture)).isEqualTo(data);
	}

	/**
	 * A PATCH sent as a client resumes after a chunk broke off: the request that read the broken chunk may still be
	 * ending on the server (its upload's offset already moved, its slot not yet given back), and the server then
	 * tells the client to come back ({@code 503 capture-in-progress}), which it does, for a while.
	 */
	private Response patchOnceTheOtherHasEnded(ComputerClient computer, URI upload, String token, long offset,
			byte[] body) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		Response response = patch(computer, upload, token, offset, body);
		while (response.status() == 503 && "capture-in-progress".equals(response.problem())
				&& System.nanoTime() < deadline) {
			Thread.sleep(100);
			response = patch(computer, upload, token, offset, body);
		}
		return response;
	}

	@Test
	void segmentsSealedByARequestThatDiedBeforeMovingTheOffsetAreKeptAndNeverSealedAgain() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(5 * MIB + 777);
		URI upload = location(create(pair.source(), capture.token(), data.length));
		int acknowledged = MIB + 1000;
		assertThat(patch(pair.source(), upload, capture.token(), 0, Arrays.copyOf(data, acknowledged)).status())
			.isEqualTo(204);
		Path tail = part(pair, upload).resolveSibling(id(upload) + "-" + acknowledged + ".tail");
		byte[] acknowledgedTail = Files.readAllBytes(tail);
		int sealed = 3 * MIB + 500;
		assertThat(patch(pair.source(), upload, capture.token(), acknowledged,
				Arrays.copyOfRange(data, acknowledged, sealed)).status()).isEqualTo(204);
		// what a crash between the tail's rename and the offset's update leaves: segments 1 and 2 and the tail at
		// 3 MiB + 500 on disk, the offset and the tail of the request before
		this.jdbc.sql("UPDATE resumable_upload SET upload_offset = ? WHERE store_id = ?")
			.params(acknowledged, UUID.fromString(id(upload)))
			.update();
		Files.write(tail, acknowledgedTail);

		assertThat(offset(pair.source(), upload, capture.token())).as("rolled forward over the sealed segments")
			.isEqualTo(3 * MIB);
		assertThat(tail).doesNotExist();
		byte[] other = randomBytes(3 * MIB - acknowledged);
		assertProblem(patch(pair.source(), upload, capture.token(), acknowledged, other), 409, "invalid-state");
		assertThat(Files.size(part(pair, upload))).isEqualTo(SegmentedStreamFormat.segmentOffset(3, MIB));

		assertThat(patch(pair.source(), upload, capture.token(), 3 * MIB,
				Arrays.copyOfRange(data, 3 * MIB, data.length)).status()).isEqualTo(204);
		assertThat(filesOf(pair)).noneSatisfy((file) -> assertThat(file.getFileName().toString()).endsWith(".tail"));
		assertThat(restored(pair, capture)).isEqualTo(data);
		assertThat(this.admin.association(pair.associationId()).path("storeSha256").asString()).isEqualTo(sha256Hex(data));
	}

	@Test
	void aPatchRollsForwardTooAndTellsTheOffsetItStandsAtWhenTheClientsIsBehind() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(3 * MIB);
		URI upload = location(create(pair.source(), capture.token(), data.length));
		assertThat(patch(pair.source(), upload, capture.token(), 0, Arrays.copyOf(data, 2 * MIB)).status())
			.isEqualTo(204);
		this.jdbc.sql("UPDATE resumable_upload SET upload_offset = 0 WHERE store_id = ?").param(UUID.fromString(id(upload))).update();

		Response stale = patch(pair.source(), upload, capture.token(), 0, randomBytes(2 * MIB));
		assertProblem(stale, 409, "invalid-state");
		assertThat(stale.body()).contains("offset " + 2 * MIB);
		assertThat(patch(pair.source(), upload, capture.token(), 2 * MIB, Arrays.copyOfRange(data, 2 * MIB, data.length))
			.status()).isEqualTo(204);
		assertThat(restored(pair, capture)).isEqualTo(data);
	}

	private static long awaitOffsetAbove(ComputerClient computer, URI upload, String token, long above)
			throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		long offset;
		while ((offset = offset(computer, upload, token)) <= above && System.nanoTime() < deadline) {
			Thread.sleep(100);
		}
		return offset;
	}

	@Test
	void secondChunkWhileAnotherIsStreamingIsToldToComeBack() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		URI upload = location(create(pair.source(), capture.token(), 4 * MIB));
		CountDownLatch proceed = new CountDownLatch(1);
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<HttpResponse<String>> slow = CompletableFuture.supplyAsync(() -> pair.source()
			.exchange(patchRequest(upload, capture.token(), 0, HttpRequest.BodyPublishers.fromPublisher(
					HttpRequest.BodyPublishers.ofInputStream(() -> new HeldBack(MIB, started, proceed)), MIB), null)));
		assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
		Thread.sleep(500);
		Response second = patch(pair.source(), upload, capture.token(), 0, new byte[100]);
		// one capture of an association at a time: refused before a byte of it is read
		assertThat(second.status()).isEqualTo(503);
		assertThat(second.problem()).isEqualTo("capture-in-progress");
		assertThat(second.header("Retry-After")).isNotNull();
		proceed.countDown();
		assertThat(slow.get(60, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
		assertThat(offset(pair.source(), upload, capture.token())).isEqualTo(MIB);
	}

	@Test
	void noPlaintextOfAnUnfinishedUploadReachesTheDisk() throws IOException {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = new byte[3 * MIB];
		for (int i = 0; i + MARKER.length <= data.length; i += MARKER.length) {
			System.arraycopy(MARKER, 0, data, i, MARKER.length);
		}
		URI upload = location(create(pair.source(), capture.token(), data.length));
		// a whole segment and a partial one (the sealed tail), then a chunk that went through the checksum spool
		assertThat(patch(pair.source(), upload, capture.token(), 0, Arrays.copyOf(data, MIB + 4321)).status()).isEqualTo(204);
		byte[] checked = Arrays.copyOfRange(data, MIB + 4321, 2 * MIB + 99);
		assertThat(patch(pair.source(), upload, capture.token(), MIB + 4321, checked,
				"sha1 " + digestBase64("SHA-1", checked)).status()).isEqualTo(204);
		assertThat(filesOf(pair)).anySatisfy((file) -> assertThat(file.getFileName().toString()).endsWith(".tail"));
		try (Stream<Path> files = Files.walk(this.server.dataDir())) {
			files.filter(Files::isRegularFile).forEach((file) -> {
				assertThat(contains(file, MARKER)).as("plaintext in %s", file).isFalse();
			});
		}
	}

	private Grant capturedAndRestoring(Pair pair, Grant capture) {
		pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], null);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		return pair.destination().request("RESTORE");
	}

	private byte[] restored(Pair pair, Grant capture) {
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		Grant restore = pair.destination().request("RESTORE");
		HttpResponse<byte[]> download = pair.destination().download(restore.storeUrl(), restore.token(), null);
		assertThat(download.statusCode()).isEqualTo(200);
		return download.body();
	}

	private long reservedBytes() {
		long reserved = 0;
		for (var folder : this.admin.get("/api/v1/storage").json().path("folders")) {
			reserved += folder.path("reservedBytes").asLong();
		}
		return reserved;
	}

	private List<Path> filesOf(Pair pair) {
		Path directory = this.server.dataDir().resolve("stores").resolve(pair.associationId());
		if (Files.notExists(directory)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(directory)) {
			return files.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Path part(Pair pair, URI upload) {
		return this.server.dataDir().resolve("stores").resolve(pair.associationId()).resolve(id(upload) + ".part");
	}

	private static String id(URI upload) {
		String path = upload.getPath();
		return path.substring(path.lastIndexOf('/') + 1);
	}

	private URI uploads() {
		return this.server.uri("/api/v1/uploads");
	}

	private URI location(Response created) {
		assertThat(created.status()).as("creation: %s", created).isEqualTo(201);
		return this.server.uri(created.header("Location"));
	}

	private Response create(ComputerClient computer, String token, long length) {
		return send(computer, "POST", uploads(), token, null, Map.of("Upload-Length", Long.toString(length)));
	}

	private Response patch(ComputerClient computer, URI upload, String token, long offset, byte[] body) {
		return patch(computer, upload, token, offset, body, null);
	}

	private Response patch(ComputerClient computer, URI upload, String token, long offset, byte[] body,
			String checksum) {
		HttpResponse<String> response = computer
			.exchange(patchRequest(upload, token, offset, HttpRequest.BodyPublishers.ofByteArray(body), checksum));
		return new Response(response.statusCode(), response.body(), response.headers());
	}

	private static HttpRequest patchRequest(URI upload, String token, long offset, HttpRequest.BodyPublisher body,
			String checksum) {
		HttpRequest.Builder request = HttpRequest.newBuilder(upload)
			.method("PATCH", body)
			.header("Tus-Resumable", "1.0.0")
			.header("Upload-Offset", Long.toString(offset))
			.header("Content-Type", "application/offset+octet-stream");
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (checksum != null) {
			request.header("Upload-Checksum", checksum);
		}
		return request.build();
	}

	private static Response head(ComputerClient computer, String upload, String token) {
		return send(computer, "HEAD", URI.create(upload), token, null, Map.of());
	}

	/** The upload's offset as HEAD tells it, or -1 if HEAD does not answer 200. */
	private static long offset(ComputerClient computer, URI upload, String token) {
		Response head = head(computer, upload.toString(), token);
		return (head.status() == 200) ? Long.parseLong(head.header("Upload-Offset")) : -1;
	}

	private static Response send(ComputerClient computer, String method, URI uri, String token, byte[] body,
			Map<String, String> headers) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofByteArray(body)
					: HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0");
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		headers.forEach(request::header);
		HttpResponse<String> response = computer.exchange(request.build());
		return new Response(response.statusCode(), response.body(), response.headers());
	}

	private static void assertProblem(Response response, int status, String slug) {
		assertThat(response.status()).as("%s", response).isEqualTo(status);
		assertThat(response.problem()).isEqualTo(slug);
		assertThat(response.header("Tus-Resumable")).isEqualTo("1.0.0");
	}

	private TusClient tusClient(ComputerClient computer, String token, TusURLMemoryStore urls) throws IOException {
		TusClient client = new TusClient() {
			@Override
			public void prepareConnection(HttpURLConnection connection) {
				super.prepareConnection(connection);
				((HttpsURLConnection) connection).setSSLSocketFactory(computer.sslContext().getSocketFactory());
			}
		};
		client.setUploadCreationURL(new URL(uploads().toString()));
		client.setHeaders(Map.of("Authorization", "Bearer " + token));
		client.enableResuming(urls);
		return client;
	}

	private static TusUpload tusUpload(byte[] data) throws Exception {
		TusUpload upload = new TusUpload();
		upload.setInputStream(new ByteArrayInputStream(data));
		upload.setSize(data.length);
		upload.setFingerprint("capture-" + sha256Hex(data));
		// the library takes text values only: the digest goes as hex text
		upload.setMetadata(Map.of("sha256", sha256Hex(data)));
		return upload;
	}

	private static String sha256Base64(byte[] data) {
		return digestBase64("SHA-256", data);
	}

	private static String digestBase64(String algorithm, byte[] data) {
		try {
			return Base64.getEncoder().encodeToString(MessageDigest.getInstance(algorithm).digest(data));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static boolean contains(Path file, byte[] needle) {
		try (InputStream in = Files.newInputStream(file)) {
			byte[] window = new byte[1 << 20];
			int carry = 0;
			int read;
			while ((read = in.read(window, carry, window.length - carry)) != -1) {
				int end = carry + read;
				for (int i = 0; i + needle.length <= end; i++) {
					if (Arrays.equals(window, i, i + needle.length, needle, 0, needle.length)) {
						return true;
					}
				}
				carry = Math.min(needle.length - 1, end);
				System.arraycopy(window, end - carry, window, 0, carry);
			}
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A body that sends its first byte, then waits to be let go before the rest. */
	private static final class HeldBack extends InputStream {

		private final long size;

		private final CountDownLatch started;

		private final CountDownLatch proceed;

		private long sent;

		HeldBack(long size, CountDownLatch started, CountDownLatch proceed) {
			this.size = size;
			this.started = started;
			this.proceed = proceed;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : one[0];
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (this.sent >= this.size) {
				return -1;
			}
			if (this.sent > 0) {
				this.started.countDown();
				try {
					this.proceed.await(60, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IOException(ex);
				}
			}
			int n = (int) Math.min(len, this.size - this.sent);
			Arrays.fill(b, off, off + n, (byte) 7);
			this.sent += n;
			return n;
		}

	}

}
