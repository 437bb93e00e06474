package org.statemigration.smp.scrub;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.console.ConsoleClient;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduled integrity scrub in a server of its own, over real TLS, turned on with a short interval: among
 * several captured stores it finds the one with a flipped bit in one segment, marks it, audits and counts it; a
 * restore of that store is refused with {@code store-damaged} (the request, and the download with a token issued
 * before the damage was found) while the others restore whole; an operator's check of the store put back clears
 * the mark. The console's dashboard shows the damaged store. The scrub's endpoints answer only the roles they are
 * for.
 */
@ServerProcessTest
class ScrubIntegrationTests {

	private static final int STORES = 4;

	@TempDir
	Path temp;

	@Test
	void theScheduledScrubFindsOneFlippedBitAndItsStoreIsNeverRestored() throws Exception {
		Path dataDir = this.temp.resolve("data");
		try (ServerProcess process = ServerProcess.start(dataDir, "256m", "--smp.scrub.enabled=true",
				"--smp.scrub.interval=PT2S", "--smp.scrub.lock-at-least-for=PT0S", "--smp.scrub.bytes-per-second=20MB")) {
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			byte[][] data = new byte[STORES][];
			String[] associations = new String[STORES];
			for (int i = 0; i < STORES; i++) {
				data[i] = randomBytes((2 << 20) + 1000 * i + 7, i);
				associations[i] = captureAndRelease(server, "SCRUB-OLD-" + i, "SCRUB-NEW-" + i, data[i]);
			}
			ComputerClient[] destinations = new ComputerClient[STORES];
			for (int i = 0; i < STORES; i++) {
				destinations[i] = enroll(server, "SCRUB-NEW-" + i);
			}
			// a restore that began before the damage is found: its token is refused once the store is marked
			Grant early = destinations[1].request("RESTORE");

			awaitPasses(admin, 1);
			assertThat(admin.get("/api/v1/scrub").json().path("damaged").isEmpty()).isTrue();

			Path blob = blobOf(dataDir, associations[1]);
			byte[] original = Files.readAllBytes(blob);
			flipBit(blob, (1 << 20) + 16 + 20 + 4321);
			Instant flipped = Instant.now();

			JsonNode damaged = awaitDamaged(admin);
			assertThat(damaged.path("associationId").asString()).isEqualTo(associations[1]);
			assertThat(damaged.path("verdict").asString()).isEqualTo("authentication-failed");
			assertThat(damaged.path("segment").asLong()).isEqualTo(1);
			String storeId = damaged.path("storeId").asString();
			assertThat(blob.getFileName().toString()).isEqualTo(storeId + ".smp");

			Response audit = admin.get("/api/v1/audit?action=store.damaged");
			assertThat(audit.json().path("items")).singleElement().satisfies((event) -> {
				assertThat(event.path("target").asString()).isEqualTo(associations[1]);
				assertThat(event.path("actor").asString()).isEqualTo("system");
				assertThat(event.path("detail").asString()).contains(storeId).contains("authentication-failed");
			});
			awaitPassesAfter(admin, flipped);
			assertThat(admin.get("/api/v1/audit?action=scrub.pass").json().path("items").get(0).path("detail").asString())
				.contains("scheduled scrub").contains("1 damaged").contains(storeId);
			String metrics = admin.send("GET", "/actuator/prometheus", null, "text/plain").body();
			// found again at every pass until it is mended: a pass may have ended since the one awaited
			assertThat(metrics).containsPattern("smp_scrub_damaged_found_total\\{verdict=\"authentication-failed\"\\} [1-9]")
				.containsPattern("smp_scrub_stores_checked_total\\{result=\"intact\"\\} [1-9]")
				.containsPattern("smp_scrub_bytes_checked_bytes_total [1-9]")
				.containsPattern("smp_scrub_damaged_stores 1\\.0")
				.containsPattern("smp_scrub_last_pass_seconds [1-9]");

			String dashboard = ConsoleClient.signedIn(server, "admin", server.adminPassword()).get("/console").body();
			assertThat(dashboard).contains("Integrity scrub")
				.contains("1 damaged state store(s): their restore is refused.")
				.contains(associations[1])
				.contains(storeId)
				.contains("authentication-failed: Segment 1 failed authentication")
				.contains("The scheduled scrub runs every PT2S.")
				.contains("Last pass ended");

			HttpResponse<byte[]> refusedDownload = destinations[1].download(early.storeUrl(), early.token(), null);
			assertThat(refusedDownload.statusCode()).isEqualTo(409);
			assertThat(new String(refusedDownload.body(), StandardCharsets.UTF_8)).contains("urn:smp:problem:store-damaged");
			assertThat(destinations[1].release(early.token(), false).status()).isEqualTo(200);
			Response refusedGrant = destinations[1].requestStateStore("RESTORE");
			assertThat(refusedGrant.status()).isEqualTo(409);
			assertThat(refusedGrant.problem()).isEqualTo("store-damaged");
			assertThat(refusedGrant.header("Content-Type")).startsWith("application/problem+json");

			for (int i : new int[] { 0, 2, 3 }) {
				assertThat(restore(destinations[i])).as("store %d", i).isEqualTo(data[i]);
			}

			// the blob put back from a copy: an administrator's check clears the mark, and the store restores again
			Files.write(blob, original);
			Response check = admin.post("/api/v1/scrub/stores/" + storeId + "/check", null);
			assertThat(check.status()).isEqualTo(200);
			assertThat(check.json().path("verdict").asString()).isEqualTo("intact");
			assertThat(check.json().path("cleared").asBoolean()).isTrue();
			assertThat(admin.get("/api/v1/audit?action=store.damage-cleared").json().path("items")).singleElement()
				.satisfies((event) -> assertThat(event.path("actor").asString()).isEqualTo("admin"));
			assertThat(restore(destinations[1])).isEqualTo(data[1]);
		}
	}

	@Test
	void theScrubEndpointsAnswerOnlyTheirRoles() throws Exception {
		Path dataDir = this.temp.resolve("roles");
		// a check holds its request at most a second: at 1 MB a second, a store of 4 MiB takes longer than that
		try (ServerProcess process = ServerProcess.start(dataDir, "256m", "--smp.scrub.check-wait=PT1S",
				"--smp.scrub.bytes-per-second=1MB")) {
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			String association = captureAndRelease(server, "ROLES-OLD", "ROLES-NEW", randomBytes(70_000, 9));
			String storeId = blobOf(dataDir, association).getFileName().toString().replace(".smp", "");
			OperatorClient auditor = admin.createOperator("scrub-auditor", "AUDITOR");
			OperatorClient manager = admin.createOperator("scrub-manager", "OSD_MANAGER");
			OperatorClient viewer = admin.createOperator("scrub-viewer", "RECOVERY_VIEWER");
			String check = "/api/v1/scrub/stores/" + storeId + "/check";

			for (Response anonymous : List.of(server.anonymous().get("/api/v1/scrub"),
					server.anonymous().post(check, null))) {
				assertThat(anonymous.status()).isEqualTo(401);
				assertThat(anonymous.problem()).isEqualTo("unauthorized");
			}
			for (Response wrongRole : List.of(manager.get("/api/v1/scrub"), viewer.get("/api/v1/scrub"),
					auditor.post(check, null), manager.post(check, null))) {
				assertThat(wrongRole.status()).isEqualTo(403);
				assertThat(wrongRole.problem()).isEqualTo("forbidden");
			}
			Response status = auditor.get("/api/v1/scrub");
			assertThat(status.status()).isEqualTo(200);
			assertThat(status.json().path("enabled").asBoolean()).isFalse();
			assertThat(status.json().path("schedule").asString()).isEqualTo("every PT24H");
			assertThat(status.json().path("bytesPerSecond").asLong()).isEqualTo(1L << 20);
			assertThat(admin.get("/api/v1/scrub").status()).isEqualTo(200);

			Response checked = admin.post(check, null);
			assertThat(checked.status()).isEqualTo(200);
			assertThat(checked.json().path("verdict").asString()).isEqualTo("intact");
			assertThat(checked.json().path("marked").asBoolean()).isFalse();
			assertThat(checked.json().path("cleared").asBoolean()).isFalse();

			// damaged: marked by the check, which is audited under the administrator's name
			truncate(blobOf(dataDir, association), 1000);
			Response damaged = admin.post(check, null);
			assertThat(damaged.json().path("verdict").asString()).isEqualTo("truncated");
			assertThat(damaged.json().path("marked").asBoolean()).isTrue();
			assertThat(auditor.get("/api/v1/scrub").json().path("damaged")).singleElement()
				.satisfies((row) -> assertThat(row.path("storeId").asString()).isEqualTo(storeId));
			assertThat(admin.get("/api/v1/audit?action=store.damaged").json().path("items")).singleElement()
				.satisfies((event) -> assertThat(event.path("actor").asString()).isEqualTo("admin"));

			Response unknown = admin.post("/api/v1/scrub/stores/" + java.util.UUID.randomUUID() + "/check", null);
			assertThat(unknown.status()).isEqualTo(404);
			assertThat(unknown.problem()).isEqualTo("not-found");

			// a store that takes longer to read than the request waits: 202, the check goes on, its result is audited
			String large = captureAndRelease(server, "LARGE-OLD", "LARGE-NEW", randomBytes(4 << 20, 10));
			String largeId = blobOf(dataDir, large).getFileName().toString().replace(".smp", "");
			String largeCheck = "/api/v1/scrub/stores/" + largeId + "/check";
			assertThat(manager.post(largeCheck, null).status()).isEqualTo(403);
			assertThat(server.anonymous().post(largeCheck, null).status()).isEqualTo(401);
			Response accepted = admin.post(largeCheck, null);
			assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
			assertThat(accepted.header("Location")).isEqualTo("/api/v1/audit?action=scrub.check");
			assertThat(accepted.json().path("state").asString()).isEqualTo("running");
			assertThat(accepted.json().path("storeId").asString()).isEqualTo(largeId);
			assertThat(accepted.json().path("associationId").asString()).isEqualTo(large);
			assertThat(accepted.json().path("startedBy").asString()).isEqualTo("admin");
			// asked again while it reads: the same check, not a second read
			assertThat(admin.post(largeCheck, null).status()).isEqualTo(202);
			JsonNode result = awaitCheckResult(auditor, largeId);
			assertThat(result.path("actor").asString()).isEqualTo("admin");
			assertThat(result.path("target").asString()).isEqualTo(large);
			assertThat(result.path("detail").asString()).contains("intact").contains(" byte(s) read");
			String metrics = admin.send("GET", "/actuator/prometheus", null, "text/plain").body();
			assertThat(metrics).as("the large store was read once")
				.containsPattern("smp_scrub_stores_checked_total\\{result=\"intact\"\\} 2\\.0");
		}
	}

	private static JsonNode awaitCheckResult(OperatorClient auditor, String storeId) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (true) {
			for (JsonNode event : auditor.get("/api/v1/audit?action=scrub.check").json().path("items")) {
				if (event.path("detail").asString().contains(storeId)) {
					return event;
				}
			}
			assertThat(System.nanoTime()).as("the check's result within 60 s").isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	private static void awaitPasses(OperatorClient admin, int passes) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (admin.get("/api/v1/audit?action=scrub.pass").json().path("total").asLong() < passes) {
			assertThat(System.nanoTime()).as("a pass of the scrub within 90 s").isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	private static void awaitPassesAfter(OperatorClient admin, Instant after) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			JsonNode last = admin.get("/api/v1/scrub").json().path("lastPass");
			if (!last.isNull() && !last.isMissingNode()
					&& Instant.parse(last.path("startedAt").asString()).isAfter(after)) {
				return;
			}
			assertThat(System.nanoTime()).as("a pass of the scrub after the damage within 90 s").isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	private static JsonNode awaitDamaged(OperatorClient admin) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
		while (true) {
			JsonNode damaged = admin.get("/api/v1/scrub").json().path("damaged");
			if (!damaged.isEmpty()) {
				assertThat(damaged).hasSize(1);
				return damaged.get(0);
			}
			assertThat(System.nanoTime()).as("the damage found within 90 s").isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	static Path blobOf(Path dataDir, String association) throws IOException {
		try (Stream<Path> files = Files.list(dataDir.resolve("stores").resolve(association))) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".smp")).findFirst().orElseThrow();
		}
	}

	static void flipBit(Path file, long offset) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			ByteBuffer one = ByteBuffer.allocate(1);
			channel.read(one, offset);
			one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
			channel.write(one, offset);
		}
	}

	private static void truncate(Path file, long size) throws IOException {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			channel.truncate(size);
		}
	}

	static String captureAndRelease(TestServer server, String source, String destination, byte[] data) {
		String id = server.admin().createAssociation(source, destination, "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient client = enroll(server, source);
		Grant capture = client.request("CAPTURE");
		assertThat(client.upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		assertThat(client.release(capture.token(), true).status()).isEqualTo(200);
		return id;
	}

	static ComputerClient enroll(TestServer server, String name) {
		ComputerClient client = server.computer(name);
		assertThat(client.enroll(server.admin().enrollmentCode(name)).status()).isEqualTo(201);
		return client;
	}

	private static byte[] restore(ComputerClient destination) {
		Grant restore = destination.request("RESTORE");
		HttpResponse<byte[]> response = destination.download(restore.storeUrl(), restore.token(), null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(destination.release(restore.token(), true).status()).isEqualTo(200);
		return response.body();
	}

	static byte[] randomBytes(int size, long seed) {
		byte[] data = new byte[size];
		new Random(seed).nextBytes(data);
		return data;
	}

}
