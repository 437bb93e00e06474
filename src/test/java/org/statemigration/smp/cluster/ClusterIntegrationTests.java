package org.statemigration.smp.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.cluster.Cluster;
import org.statemigration.smp.support.cluster.Cluster.Node;
import org.statemigration.smp.support.cluster.ClusterTest;
import org.statemigration.smp.support.cluster.HaproxyProcess.ServerStat;
import org.statemigration.smp.support.cluster.SharedStorage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two smp nodes on one PostgreSQL database and one storage behind HAProxy ({@code deploy/haproxy/haproxy.cfg}), as
 * docs/scale-out.md describes: a capture begun on one node goes on and ends on the other, one cut short by a node's
 * death is resumed on the other, a restore broken off on one node resumes with a range on the other, retention on
 * both deletes each store once, a capture by PUT cut short by a node's death is discarded by the other, and the
 * balancer fails over to the node that is left, which presents the same certificate. After every test the storage
 * holds exactly the committed versions' blobs (in a bucket: no small object and no unfinished multipart upload
 * either), and the database no unfinished upload and no reservation.
 * <p>
 * The storage is a bucket of the run's S3 server (s3proxy, or Ceph RGW with {@code -Dsmp.test.s3=ceph}), or a shared
 * folder with {@code -Dsmp.test.cluster.storage=folder} ({@link org.statemigration.smp.support.cluster.SharedStorage}).
 * The nodes run with short intervals, by configuration only: each records that it is alive every two seconds (so a
 * node silent for eight is taken for dead and the uploads and leases it held are released), retention runs every
 * second, and the sweep of S3 locations every two seconds. The tests run in a fixed order so that the cluster,
 * started once, is restarted as little as may be: the tests that kill a node come last.
 */
@ClusterTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIntegrationTests {

	private static final int MIB = 1024 * 1024;

	/** The name of the sweep's lock row in ShedLock's table. */
	private static final String SWEEP_LOCK = "smp-s3-sweep";

	/** Kept when a test fails: the nodes' and HAProxy's logs are in it. */
	@TempDir(cleanup = CleanupMode.ON_SUCCESS)
	static Path temp;

	static Cluster cluster;

	@BeforeAll
	static void startCluster() throws Exception {
		cluster = Cluster.start(temp, "smp_cluster", "--smp.storage.reconcile-interval=PT2S",
				"--smp.retention.cleanup-interval=PT1S", "--smp.retention.allow-immediate-delete=true",
				"--smp.storage.sweep.interval=PT2S", "--smp.storage.sweep.lock-at-least-for=PT0S",
				"--logging.level.org.statemigration.smp.store.internal.S3Sweep=DEBUG");
	}

	@AfterAll
	static void stopCluster() throws Exception {
		if (cluster != null) {
			cluster.close();
		}
	}

	@BeforeEach
	void bothNodesRun() throws Exception {
		cluster.ensureRunning();
	}

	@AfterEach
	void storageHoldsTheCommittedVersionsOnlyAndNoNodeLoggedAnError() throws Exception {
		cluster.assertStorageMatchesCommittedRows(Duration.ofSeconds(30));
		for (Node node : cluster.nodes()) {
			assertThat(Files.readAllLines(node.log()).stream().filter((line) -> line.contains(" ERROR ")))
				.as("errors in the log of %s", node)
				.isEmpty();
		}
	}

	@Test
	@Order(1)
	void everyConnectionThroughTheBalancerSeesTheSameCertificateWhicheverNodeAnswers() throws Exception {
		Map<String, Long> before = sessions();
		for (int i = 0; i < 8; i++) {
			assertThat(fingerprintThroughBalancer()).as("connection %s", i).isEqualTo(cluster.serverFingerprint());
		}
		Map<String, Long> after = sessions();
		for (Node node : cluster.nodes()) {
			assertThat(after.get(node.name()) - before.get(node.name())).as("connections %s answered", node)
				.isPositive();
		}
		// and each node, called directly
		for (Node node : cluster.nodes()) {
			assertThat(fingerprint(node.client())).as("%s", node).isEqualTo(cluster.serverFingerprint());
		}
	}

	@Test
	@Order(2)
	void captureBegunOnOneNodeGoesOnAndEndsOnTheOtherAndRestoresThroughTheBalancer() throws Exception {
		Pair pair = Pair.enroll("CAPTURE-ACROSS");
		long size = 56L * MIB + 12_345;
		long seed = 11;
		Grant capture = pair.source().request("CAPTURE");
		ComputerClient onA = pair.source().at(cluster.a().client());
		ComputerClient onB = pair.source().at(cluster.b().client());

		URI upload = create(onA, cluster.a().client(), capture.token(), size, seed);
		String path = upload.getRawPath();
		long first = 40L * MIB + 777;
		assertThat(patch(onA, cluster.a().client().uri(path), capture.token(), 0, first, size, seed).statusCode())
			.isEqualTo(204);

		assertThat(offset(onB, cluster.b().client().uri(path), capture.token())).isEqualTo(first);
		HttpResponse<String> last = patch(onB, cluster.b().client().uri(path), capture.token(), first, size, size,
				seed);
		assertThat(last.statusCode()).as("%s", last.body()).isEqualTo(204);
		assertThat(last.headers().firstValue("Upload-Offset")).contains(Long.toString(size));
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);

		assertThat(restoredSha256(pair)).isEqualTo(SeededStream.sha256(size, seed));
	}

	@Test
	@Order(3)
	void restoreBrokenOffOnOneNodeResumesWithARangeOnTheOther() throws Exception {
		Pair pair = Pair.enroll("RESTORE-ACROSS");
		long size = 24L * MIB + 4321;
		long seed = 12;
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source()
			.upload(capture.storeUrl(), capture.token(), () -> new SeededStream(size, seed), size, null)
			.status()).isEqualTo(201);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);

		Grant restore = pair.destination().request("RESTORE");
		String path = URI.create(restore.storeUrl()).getRawPath();
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		long brokenAt = 9L * MIB + 99;
		HttpResponse<InputStream> fromB = pair.destination()
			.at(cluster.b().client())
			.downloadTo(cluster.b().client().uri(path).toString(), restore.token(), null,
					HttpResponse.BodyHandlers.ofInputStream());
		assertThat(fromB.statusCode()).isEqualTo(200);
		try (InputStream body = fromB.body()) {
			byte[] got = body.readNBytes((int) brokenAt);
			assertThat(got).hasSize((int) brokenAt);
			digest.update(got);
		}
		// the client broke off there: the rest comes from the other node

		HttpResponse<InputStream> fromA = pair.destination()
			.at(cluster.a().client())
			.downloadTo(cluster.a().client().uri(path).toString(), restore.token(), "bytes=" + brokenAt + "-",
					HttpResponse.BodyHandlers.ofInputStream());
		assertThat(fromA.statusCode()).isEqualTo(206);
		assertThat(fromA.headers().firstValue("Content-Range"))
			.contains("bytes " + brokenAt + "-" + (size - 1) + "/" + size);
		try (InputStream body = new DigestInputStream(fromA.body(), digest)) {
			body.transferTo(OutputStream.nullOutputStream());
		}
		assertThat(HexFormat.of().formatHex(digest.digest())).isEqualTo(SeededStream.sha256(size, seed));
		assertThat(pair.destination().release(restore.token(), true).status()).isEqualTo(200);
	}

	@Test
	@Order(4)
	void retentionOnBothNodesDeletesEveryReleasedStoreExactlyOnce() throws Exception {
		OperatorClient admin = cluster.balancer().admin();
		List<String> ids = new ArrayList<>();
		try {
			assertThat(admin.patch("/api/v1/settings", "{\"deleteAfter\":\"PT1S\"}").status()).isEqualTo(200);
			for (int i = 0; i < 8; i++) {
				ids.add(restoredInPlace("RETAINED-" + i, 13 + i));
			}
			await(Duration.ofSeconds(60), "every restored association deleted", () -> ids.stream()
				.allMatch((id) -> "DELETED".equals(admin.association(id).path("state").asString())));
		}
		finally {
			assertThat(admin.patch("/api/v1/settings", "{\"deleteAfter\":\"P1D\"}").status()).isEqualTo(200);
		}
		Thread.sleep(3000);
		List<String> audited = cluster.column("SELECT target FROM audit_event WHERE action = 'retention.delete-data'");
		String logs = Files.readString(cluster.a().log()) + Files.readString(cluster.b().log());
		for (String id : ids) {
			assertThat(audited.stream().filter(id::equals)).as("audit events deleting %s", id).hasSize(1);
			assertThat(occurrences(logs, "Deleted the restored data of association " + id)).as("%s", id).isEqualTo(1);
			assertThat(cluster.storage().objects()).noneMatch((object) -> object.startsWith(id + "/"));
		}
		assertThat(logs.lines().filter((line) -> line.contains("Retention could not")))
			.as("failed deletions in the nodes' logs")
			.isEmpty();
	}

	@Test
	@Order(5)
	void captureCutShortByANodesDeathResumesOnTheOtherNodeAndEndsOnTheFirstOnceItIsBack() throws Exception {
		Pair pair = Pair.enroll("CAPTURE-KILLED");
		long size = 40L * MIB + 5555;
		long seed = 21;
		Grant capture = pair.source().request("CAPTURE");
		Node a = cluster.a();
		ComputerClient onA = pair.source().at(a.client());
		URI upload = create(onA, a.client(), capture.token(), size, seed);
		String path = upload.getRawPath();
		long acknowledged = 6L * MIB + 1234;
		assertThat(patch(onA, a.client().uri(path), capture.token(), 0, acknowledged, size, seed).statusCode())
			.isEqualTo(204);

		long sent = 0;
		try (SSLSocket socket = (SSLSocket) onA.sslContext().getSocketFactory().createSocket("localhost",
				a.client().port());
				InputStream rest = slice(size, seed, acknowledged)) {
			OutputStream out = socket.getOutputStream();
			out.write(("PATCH " + path + " HTTP/1.1\r\nHost: localhost:" + a.client().port()
					+ "\r\nAuthorization: Bearer " + capture.token()
					+ "\r\nTus-Resumable: 1.0.0\r\nUpload-Offset: " + acknowledged
					+ "\r\nContent-Type: application/offset+octet-stream\r\nContent-Length: " + (size - acknowledged)
					+ "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			byte[] buffer = new byte[64 * 1024];
			while (sent < 14L * MIB) {
				int read = rest.read(buffer);
				out.write(buffer, 0, read);
				sent += read;
			}
			out.flush();
			// long enough for node A to read and write what it was sent
			Thread.sleep(1500);
			cluster.kill(a);
		}

		Node b = cluster.b();
		ComputerClient onB = pair.source().at(b.client());
		// the dead node's request holds the lease (or, once it is released, the offset has moved on): refused
		HttpResponse<String> meanwhile = patch(onB, b.client().uri(path), capture.token(), acknowledged,
				acknowledged + 1000, size, seed);
		assertThat(meanwhile.statusCode()).as("%s", meanwhile.body()).isEqualTo(409);
		String aId = a.nodeId();
		// node B takes A for dead once it has been silent for four reconcile intervals, and gives back its lease
		await(Duration.ofSeconds(60), "the lease of the dead node released", () -> !cluster
			.column("SELECT lease_node FROM resumable_upload WHERE store_id = ?", UUID.fromString(id(path)))
			.contains(aId));
		long resumedAt = offset(onB, b.client().uri(path), capture.token());
		System.out.println("Acknowledged " + acknowledged + ", sent " + (acknowledged + sent)
				+ " before node A died, node B resumes at " + resumedAt);
		assertThat(resumedAt).isGreaterThanOrEqualTo(acknowledged).isLessThanOrEqualTo(acknowledged + sent);

		// a chunk that ends inside a segment: node B keeps the bytes after the last whole segment in a tail
		long midway = resumedAt + 5L * MIB + 333;
		assertThat(patch(onB, b.client().uri(path), capture.token(), resumedAt, midway, size, seed).statusCode())
			.isEqualTo(204);

		// node A comes back and reconciles the shared storage at start: B's upload, its blob and tail, stay
		cluster.ensureRunning();
		ComputerClient onAAgain = pair.source().at(a.client());
		assertThat(offset(onAAgain, a.client().uri(path), capture.token())).isEqualTo(midway);
		HttpResponse<String> last = patch(onAAgain, a.client().uri(path), capture.token(), midway, size, size, seed);
		assertThat(last.statusCode()).as("%s", last.body()).isEqualTo(204);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		assertThat(restoredSha256(pair)).isEqualTo(SeededStream.sha256(size, seed));
		assertThat(Files.readString(a.log())).doesNotContain("Deleted leftover");
	}

	@Test
	@Order(6)
	void putCaptureKilledMidBodyIsDiscardedByTheOtherNodeAndLeavesNoUnfinishedUploadAfterTheSweep() throws Exception {
		Pair pair = Pair.enroll("PUT-KILLED");
		long size = 40L * MIB + 4321;
		long seed = 22;
		Grant capture = pair.source().request("CAPTURE");
		Node a = cluster.a();
		ComputerClient onA = pair.source().at(a.client());
		String path = URI.create(capture.storeUrl()).getRawPath();
		String association = pair.associationId() + "/";
		long sent = 0;
		try (SSLSocket socket = (SSLSocket) onA.sslContext().getSocketFactory().createSocket("localhost",
				a.client().port());
				InputStream body = new SeededStream(size, seed)) {
			OutputStream out = socket.getOutputStream();
			out.write(("PUT " + path + " HTTP/1.1\r\nHost: localhost:" + a.client().port()
					+ "\r\nAuthorization: Bearer " + capture.token()
					+ "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + size + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			byte[] buffer = new byte[64 * 1024];
			while (sent < 24L * MIB) {
				int read = body.read(buffer);
				out.write(buffer, 0, read);
				sent += read;
			}
			out.flush();
			// the body stalls there, half sent, until node A has stored some of it: in a bucket, a part of the
			// multipart upload of the version; in a folder, its file
			await(Duration.ofSeconds(60), "a part of the capture stored", () -> storedPart(association));
			cluster.kill(a);
		}
		String aId = a.nodeId();
		List<String> uploading = cluster.column(
				"SELECT id FROM state_store WHERE status = 'UPLOADING' AND association_id = ?",
				UUID.fromString(pair.associationId()));
		assertThat(uploading).as("the killed capture's version").hasSize(1);
		System.out.println("Node A killed after " + sent + " bytes of a PUT capture of " + size + ": left "
				+ cluster.storage().objects().stream().filter((object) -> object.startsWith(association)).toList());

		// node B takes A for dead once it has been silent for four reconcile intervals and discards its upload:
		// the row, its reservation, and what it stored (the multipart upload aborted)
		await(Duration.ofSeconds(60), "the dead node's upload discarded",
				() -> cluster.column("SELECT id FROM state_store WHERE id = ?", UUID.fromString(uploading.get(0)))
					.isEmpty());
		assertThat(cluster.column("SELECT id FROM storage_reservation WHERE store_id = ?",
				UUID.fromString(uploading.get(0)))).as("its reservation").isEmpty();
		if (cluster.storage() instanceof SharedStorage.Bucket bucket) {
			// the release aborts the multipart upload once its transaction has committed, so a moment after the row
			// is gone; the sweep does not, as it leaves an upload younger than smp.storage.sweep.min-age (an hour at
			// least) alone
			await(Duration.ofSeconds(30), "the multipart upload aborted by the release",
					() -> bucket.unfinishedUploads().isEmpty());
			// and a sweep after that (it runs on B every two seconds here) finds nothing more to do
			freeTheSweepLockIfTheDeadNodeHoldsIt(aId);
			List<String> lastSweep = sweepLock();
			// (a sweep that found the object store slow to answer may take up to a minute more)
			await(Duration.ofSeconds(120), () -> "a sweep after the release (" + sweepDiagnostics(cluster.b()) + ")",
					() -> !sweepLock().isEmpty() && !sweepLock().equals(lastSweep));
			assertThat(bucket.unfinishedUploads()).as("ListMultipartUploads").isEmpty();
		}
		List<String> committed = cluster
			.column("SELECT association_id || '/' || id || '.smp' FROM state_store WHERE status = 'COMMITTED'");
		// in a folder, too, the killed capture's file goes once the release has committed
		await(Duration.ofSeconds(30), "only committed versions stored",
				() -> new HashSet<>(cluster.storage().objects()).equals(new HashSet<>(committed)));
		assertThat(cluster.storage().objects()).containsExactlyInAnyOrderElementsOf(committed);
	}

	@Test
	@Order(7)
	void withOneNodeKilledTheBalancerSendsEveryRequestToTheOther() throws Exception {
		OperatorClient admin = cluster.balancer().admin();
		assertThat(admin.get("/api/v1/storage").status()).isEqualTo(200);
		Instant killed = Instant.now();
		cluster.kill(cluster.a());

		await(Duration.ofSeconds(10), "a request through the balancer answered",
				() -> answered(() -> admin.get("/api/v1/storage").status() == 200));
		Duration firstAnswer = Duration.between(killed, Instant.now());
		cluster.awaitBalancer(cluster.a(), "DOWN", Duration.ofSeconds(10));
		System.out.println("Node A killed: first answer through the balancer after " + firstAnswer.toMillis()
				+ " ms, marked down after " + Duration.between(killed, Instant.now()).toMillis() + " ms");

		Map<String, Long> before = sessions();
		Pair pair = Pair.enroll("FAILOVER");
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), new byte[100_000], null).status())
			.isEqualTo(201);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		for (int i = 0; i < 4; i++) {
			assertThat(fingerprintThroughBalancer()).isEqualTo(cluster.serverFingerprint());
		}
		Map<String, Long> after = sessions();
		assertThat(after.get(cluster.a().name())).as("connections to the dead node").isEqualTo(before.get(cluster.a().name()));
		assertThat(after.get(cluster.b().name()) - before.get(cluster.b().name())).isGreaterThanOrEqualTo(4);
	}

	/** Whether the storage holds some of an upload of the association: a part in a bucket, a file in a folder. */
	private static boolean storedPart(String association) {
		if (cluster.storage() instanceof SharedStorage.Bucket bucket) {
			return bucket.unfinishedUploads()
				.stream()
				.anyMatch((upload) -> upload.key().contains("/" + association) && bucket.hasParts(upload));
		}
		return cluster.storage().objects().stream().anyMatch((object) -> object.startsWith(association));
	}

	/**
	 * Had node A died in the middle of one of its sweeps, the sweep's lock would hold for
	 * {@code lock-at-most-for} (five minutes at least); the test does not wait for that.
	 */
	private static void freeTheSweepLockIfTheDeadNodeHoldsIt(String deadNode) {
		cluster.column("DELETE FROM shedlock WHERE name = ? AND locked_by = ? RETURNING name", SWEEP_LOCK, deadNode);
	}

	/** When and by which node the sweep's lock was last taken (so a sweep begun), if ever. */
	private static List<String> sweepLock() {
		return cluster.column("SELECT locked_at || ' by ' || locked_by FROM shedlock WHERE name = ?", SWEEP_LOCK);
	}

	/** An in-place association captured and restored (its restore confirmed) through the balancer. */
	private static String restoredInPlace(String name, long seed) throws IOException {
		TestServer balancer = cluster.balancer();
		OperatorClient admin = balancer.admin();
		String id = admin.createAssociation(name, name, "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = balancer.computer(name);
		assertThat(computer.enroll(admin.enrollmentCode(name)).status()).isEqualTo(201);
		Grant capture = computer.request("CAPTURE");
		assertThat(computer.upload(capture.storeUrl(), capture.token(), () -> new SeededStream(100_000, seed), 100_000,
				null).status()).isEqualTo(201);
		assertThat(computer.release(capture.token(), true).status()).isEqualTo(200);
		Grant restore = computer.request("RESTORE");
		HttpResponse<InputStream> download = computer.downloadTo(restore.storeUrl(), restore.token(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(SeededStream.sha256(download.body())).isEqualTo(SeededStream.sha256(100_000, seed));
		assertThat(computer.release(restore.token(), true).status()).isEqualTo(200);
		return id;
	}

	/** The destination restores through the balancer; the SHA-256 of what it got. */
	private static String restoredSha256(Pair pair) throws IOException {
		Grant restore = pair.destination().request("RESTORE");
		HttpResponse<InputStream> download = pair.destination().downloadTo(restore.storeUrl(), restore.token(),
				HttpResponse.BodyHandlers.ofInputStream());
		assertThat(download.statusCode()).isEqualTo(200);
		String sha256 = SeededStream.sha256(download.body());
		assertThat(pair.destination().release(restore.token(), true).status()).isEqualTo(200);
		return sha256;
	}

	/** Creates a tus upload of the seeded bytes, declaring their SHA-256; its URL on that server. */
	private static URI create(ComputerClient computer, TestServer server, String token, long size, long seed)
			throws IOException {
		byte[] sha256 = HexFormat.of().parseHex(SeededStream.sha256(size, seed));
		HttpResponse<String> created = computer.exchange(HttpRequest.newBuilder(server.uri("/api/v1/uploads"))
			.POST(HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.header("Upload-Length", Long.toString(size))
			.header("Upload-Metadata", "sha256 " + Base64.getEncoder().encodeToString(sha256))
			.build());
		assertThat(created.statusCode()).as("creation: %s", created.body()).isEqualTo(201);
		return server.uri(created.headers().firstValue("Location").orElseThrow());
	}

	/** PATCHes bytes {@code [from, to)} of the seeded stream of {@code size} bytes, streamed. */
	private static HttpResponse<String> patch(ComputerClient computer, URI upload, String token, long from, long to,
			long size, long seed) {
		HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
				HttpRequest.BodyPublishers.ofInputStream(() -> slice(to, seed, from)), to - from);
		return computer.exchange(HttpRequest.newBuilder(upload)
			.method("PATCH", body)
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.header("Upload-Offset", Long.toString(from))
			.header("Content-Type", "application/offset+octet-stream")
			.build());
	}

	/** The upload's offset as HEAD tells it. */
	private static long offset(ComputerClient computer, URI upload, String token) {
		HttpResponse<String> head = computer.exchange(HttpRequest.newBuilder(upload)
			.method("HEAD", HttpRequest.BodyPublishers.noBody())
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + token)
			.build());
		assertThat(head.statusCode()).isEqualTo(200);
		return Long.parseLong(head.headers().firstValue("Upload-Offset").orElseThrow());
	}

	/** The seeded stream of {@code end} bytes from {@code from} on: the same bytes as in any longer one. */
	private static InputStream slice(long end, long seed, long from) {
		InputStream in = new SeededStream(end, seed);
		try {
			in.skipNBytes(from);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return in;
	}

	private static String id(String uploadPath) {
		return uploadPath.substring(uploadPath.lastIndexOf('/') + 1);
	}

	/** A new TLS connection through the balancer, with a TLS context of its own (no resumed session). */
	private static String fingerprintThroughBalancer() throws IOException {
		return fingerprint(cluster.balancer());
	}

	/**
	 * The fingerprint of the certificate the server presents on a new connection, after checking that a node
	 * answers on it.
	 */
	private static String fingerprint(TestServer server) throws IOException {
		try (SSLSocket socket = (SSLSocket) server.trustingContext().getSocketFactory().createSocket("localhost",
				server.port())) {
			socket.startHandshake();
			X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			socket.getOutputStream().write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			String statusLine = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
			assertThat(statusLine).isEqualTo("HTTP/1.1 200");
			return Cluster.fingerprint(certificate);
		}
	}

	/** The sessions HAProxy has sent to each node so far, by node name. */
	private static Map<String, Long> sessions() throws IOException {
		Map<String, Long> sessions = new java.util.HashMap<>();
		for (ServerStat server : cluster.haproxy().servers()) {
			sessions.put(server.name(), server.sessions());
		}
		return sessions;
	}

	private static boolean answered(BooleanSupplier request) {
		try {
			return request.getAsBoolean();
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	private static void await(Duration timeout, String what, BooleanSupplier condition) throws InterruptedException {
		await(timeout, () -> what, condition);
	}

	private static void await(Duration timeout, Supplier<String> what, BooleanSupplier condition)
			throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (!condition.getAsBoolean()) {
			if (!Instant.now().isBefore(deadline)) {
				throw new AssertionError(what.get() + " within " + timeout);
			}
			Thread.sleep(250);
		}
	}

	/** What tells why a node did not sweep: the lock's row, what its log says of sweeps, and its sweep thread. */
	private static String sweepDiagnostics(Node node) {
		StringBuilder text = new StringBuilder("lock: " + sweepLock());
		try {
			List<String> sweeps = Files.readAllLines(node.log())
				.stream()
				.filter((line) -> line.contains("weep"))
				.toList();
			sweeps.subList(Math.max(0, sweeps.size() - 20), sweeps.size())
				.forEach((line) -> text.append("\n").append(line));
			Process jcmd = new ProcessBuilder("jcmd", String.valueOf(node.pid()), "Thread.print")
				.redirectErrorStream(true)
				.start();
			String threads = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			for (String thread : threads.split("\n\n")) {
				if (thread.contains("s3-sweep")) {
					text.append("\n").append(thread);
				}
			}
		}
		catch (IOException ex) {
			text.append("\n(").append(ex).append(")");
		}
		return text.toString();
	}

	/** A source and a destination computer, enrolled through the balancer, with the association between them. */
	private record Pair(String associationId, ComputerClient source, ComputerClient destination) {

		static Pair enroll(String name) {
			TestServer balancer = cluster.balancer();
			OperatorClient admin = balancer.admin();
			String id = admin.createAssociation(name + "-OLD", name + "-NEW", "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient source = balancer.computer(name + "-OLD");
			ComputerClient destination = balancer.computer(name + "-NEW");
			assertThat(source.enroll(admin.enrollmentCode(name + "-OLD")).status()).isEqualTo(201);
			assertThat(destination.enroll(admin.enrollmentCode(name + "-NEW")).status()).isEqualTo(201);
			return new Pair(id, source, destination);
		}

	}

}
