package org.statemigration.smp.backup;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.backup.BackupCommands.Result;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperationsTest;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.PausingBody;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.statemigration.smp.backup.BackupIntegrationTests.args;
import static org.statemigration.smp.backup.BackupIntegrationTests.capture;
import static org.statemigration.smp.backup.BackupIntegrationTests.enroll;
import static org.statemigration.smp.backup.BackupIntegrationTests.random;
import static org.statemigration.smp.backup.BackupIntegrationTests.restore;

/**
 * {@code backup} against a server running on the embedded H2 database, which holds the database's file: the
 * command asks the server over its local channel, and the server writes the backup. The channel takes its secret
 * and nothing else (no operator's credentials, no computer's certificate); a backup taken while a capture is
 * streaming leaves that upload out and says so, and restores onto PostgreSQL with every committed store byte for
 * byte and a verified audit chain.
 */
@ServerProcessTest
@OperationsTest
@NeedsPostgres
class LiveBackupIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String PASSPHRASE = "correct horse battery staple";

	@TempDir
	Path temp;

	private final List<ProcessDatabase> databases = new ArrayList<>();

	@AfterEach
	void dropTheDatabases() throws SQLException {
		for (ProcessDatabase database : this.databases) {
			database.close();
		}
	}

	@Test
	void theLocalChannelTakesItsSecretAndNothingElse() throws Exception {
		Path source = this.temp.resolve("h2");
		Path refused = this.temp.resolve("refused");
		Path channelFile = source.resolve(LocalChannel.FILE_NAME);
		try (ServerProcess process = ServerProcess.start(source, "256m")) {
			TestServer server = process.client();
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(channelFile)))
				.isEqualTo("rw-------");
			String secret = secret(channelFile);
			assertThat(secret).hasSize(43);
			server.admin().createAssociation("LOCALCERT", "LOCALCERT-NEW", "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient computer = enroll(server, "LOCALCERT");
			HttpClient plain = HttpClient.newBuilder()
				.sslContext(server.trustingContext())
				.version(HttpClient.Version.HTTP_1_1)
				.build();
			String body = json.writeValueAsString(Map.of("folder", refused.toString(), "includeKeys", false));

			assertRefused(send(plain, server, body, null), 401);
			assertRefused(send(plain, server, body, "Bearer " + secret.substring(1) + "A"), 401);
			assertRefused(send(plain, server, body, "Bearer "), 401);
			assertRefused(send(plain, server, body, "Basic " + java.util.Base64.getEncoder()
				.encodeToString(("admin:" + server.adminPassword()).getBytes())), 401);
			assertRefused(send(plain, server, body, "Bearer " + server.adminPassword()), 401);
			HttpResponse<String> withCertificate = computer.exchange(request(server, body, null));
			assertRefused(withCertificate, 401);
			assertThat(refused).doesNotExist();

			Path taken = this.temp.resolve("taken");
			String withKeys = json.writeValueAsString(Map.of("folder", taken.toString(), "includeKeys", true,
					"passphrase", PASSPHRASE));
			HttpResponse<String> answer = send(plain, server, withKeys, "Bearer " + secret);
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
			List<String> lines = answer.body().lines().toList();
			assertThat(json.readTree(lines.get(lines.size() - 1)).path("event").asString()).isEqualTo("done");
			assertThat(taken.resolve("manifest.json")).exists();
			assertThat(taken.resolve("keys.smpkeys")).exists();
			assertThat(Files.readString(process.log())).doesNotContain(PASSPHRASE).doesNotContain(secret);

			HttpResponse<String> noPassphrase = send(plain, server,
					json.writeValueAsString(Map.of("folder", taken.toString(), "includeKeys", true)), "Bearer " + secret);
			assertRefused(noPassphrase, 400);

			OperatorClient admin = server.admin();
			JsonNode created = admin.get("/api/v1/audit?action=backup.create").json();
			assertThat(created.toString()).contains("backup command (local channel)");
			JsonNode denied = admin.get("/api/v1/audit?action=access.denied").json();
			assertThat(denied.toString()).contains("local channel: wrong secret");
		}
		assertThat(channelFile).as("removed at a clean stop").doesNotExist();
	}

	@Test
	void backsUpARunningH2ServerWhileACaptureStreamsAndRestoresOntoPostgres() throws Exception {
		Path source = this.temp.resolve("h2");
		Path backup = this.temp.resolve("backup");
		Path passphraseFile = this.temp.resolve("passphrase");
		Files.writeString(passphraseFile, PASSPHRASE + "\n");
		BackupCommands commands = new BackupCommands(this.temp);
		Map<String, byte[]> captured = new LinkedHashMap<>();
		Map<String, ComputerClient> destinations = new LinkedHashMap<>();
		String heldId;
		String restoredId;
		String streamingId;
		String adminPassword;
		Result made;
		try (ServerProcess process = ServerProcess.start(source, "256m")) {
			TestServer server = process.client();
			adminPassword = server.adminPassword();
			for (int size : new int[] { 1, (3 << 20) + 5, 12 << 20 }) {
				String name = "LB" + size;
				captured.put(name, random(size, size));
				capture(server, name, captured.get(name));
				destinations.put(name, enroll(server, name + "-NEW"));
			}
			heldId = capture(server, "HELD", captured.computeIfAbsent("HELD", (n) -> random(2 << 20, 3)));
			destinations.put("HELD", enroll(server, "HELD-NEW"));
			assertThat(server.admin()
				.put("/api/v1/associations/" + heldId + "/legal-hold", Map.of("hold", true, "reason", "Case 2025-1"))
				.status()).isEqualTo(200);
			restoredId = capture(server, "DONE", random(512 << 10, 4));
			assertThat(restore(enroll(server, "DONE-NEW"))).hasSize(512 << 10);

			streamingId = server.admin().createAssociation("STREAM", "STREAM-NEW", "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient streaming = enroll(server, "STREAM");
			Grant capture = streaming.request("CAPTURE");
			CountDownLatch resume = new CountDownLatch(1);
			long size = 8 << 20;
			CompletableFuture<Response> upload = CompletableFuture.supplyAsync(() -> streaming
				.upload(capture.storeUrl(), capture.token(), () -> new PausingBody(size, 77, 3 << 20, resume), size,
						null));
			try {
				awaitPart(source.resolve("stores"), 1 << 20);
				made = commands.run(Map.of(), args("backup", "--to", backup, source,
						List.of("--include-keys", "--passphrase-file=" + passphraseFile), "--server.port=" + server.port(),
						"--server.address=127.0.0.1"));
			}
			finally {
				resume.countDown();
			}
			assertThat(upload.get(60, TimeUnit.SECONDS).status()).isEqualTo(201);
			assertThat(streaming.release(capture.token(), true).status()).isEqualTo(200);
		}
		assertThat(made.exitCode()).as(made.output()).isZero();
		assertThat(made.output()).contains("held by the server running on this data directory")
			.contains("5 state store(s)")
			.contains("Not included: 1 upload(s) in progress")
			.contains("association " + streamingId)
			.contains("keys.smpkeys");
		JsonNode manifest = json.readTree(Files.readString(backup.resolve("manifest.json")));
		assertThat(manifest.path("uploadsNotIncluded")).hasSize(1);
		assertThat(manifest.path("uploadsNotIncluded").get(0).path("associationId").asString()).isEqualTo(streamingId);

		deleteTree(source);
		ProcessDatabase postgres = ProcessDatabase.freshPostgres("live_restored");
		this.databases.add(postgres);
		Path target = this.temp.resolve("pg");
		Result restored = commands.run(Map.of(), args("restore-backup", "--from", backup, target,
				postgres.arguments(), "--passphrase-file=" + passphraseFile));
		assertThat(restored.exitCode()).as(restored.output()).isZero();
		assertThat(restored.output()).contains("Audit chain verified: true");
		Files.writeString(target.resolve("initial-admin-password"), adminPassword);

		try (ServerProcess process = ServerProcess.start(target, "256m", postgres.arguments(), false)) {
			TestServer server = process.client();
			for (Map.Entry<String, byte[]> store : captured.entrySet()) {
				ComputerClient destination = destinations.get(store.getKey()).at(server);
				assertThat(restore(destination)).as(store.getKey()).isEqualTo(store.getValue());
			}
			OperatorClient admin = server.admin();
			assertThat(admin.association(heldId).path("legalHold").asBoolean()).isTrue();
			assertThat(admin.association(restoredId).path("state").asString()).isEqualTo("RESTORED");
			JsonNode verification = admin.get("/api/v1/audit/verify").json();
			assertThat(verification.path("valid").asBoolean()).as(verification.toString()).isTrue();
		}
	}

	private static String secret(Path channelFile) throws IOException {
		return Files.readAllLines(channelFile)
			.stream()
			.filter((line) -> line.startsWith("secret="))
			.map((line) -> line.substring("secret=".length()))
			.findFirst()
			.orElseThrow();
	}

	private static HttpRequest request(TestServer server, String body, String authorization) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port()
				+ "/local/v1/backup"))
			.header("Content-Type", "application/json")
			.timeout(Duration.ofSeconds(60))
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return request.build();
	}

	private static HttpResponse<String> send(HttpClient client, TestServer server, String body, String authorization)
			throws IOException, InterruptedException {
		return client.send(request(server, body, authorization), HttpResponse.BodyHandlers.ofString());
	}

	private static void assertRefused(HttpResponse<String> answer, int status) {
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
		assertThat(answer.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
	}

	private static void awaitPart(Path stores, long bytes) throws IOException, InterruptedException {
		Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
		while (true) {
			try (Stream<Path> files = Files.walk(stores)) {
				if (files.anyMatch((file) -> file.toString().endsWith(".part") && file.toFile().length() >= bytes)) {
					return;
				}
			}
			assertThat(Instant.now()).as("the upload's temporary file grows").isBefore(deadline);
			Thread.sleep(20);
		}
	}

	private static void deleteTree(Path root) throws IOException {
		try (Stream<Path> files = Files.walk(root)) {
			for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(file);
			}
		}
	}

}
