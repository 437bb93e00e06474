package org.statemigration.smp.keys;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperationsTest;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keys rotate} with the packaged server and the command, each in a process of its own, on a database that is
 * new for each test: on H2 between two runs of the server, on PostgreSQL while the server keeps running.
 */
@ServerProcessTest
@OperationsTest
@NeedsPostgres
class KeyRotationIntegrationTests {

	private static final Path JAR = Path.of("target/smp.jar");

	@TempDir
	Path temp;

	/** The database the server and the command share, new for each test. */
	private ProcessDatabase database;

	@AfterEach
	void closeTheDatabase() throws SQLException {
		if (this.database != null) {
			this.database.close();
		}
	}

	/**
	 * On H2, {@code keys rotate} runs between two runs of the server: data captured before the rotation comes back
	 * byte for byte, a token issued before it still works, new tokens are signed by a new key, and afterwards no
	 * stored secret is wrapped by the old key-encryption key version.
	 */
	@Test
	void restoresDataCapturedBeforeRotationAndWrapsEverySecretWithTheNewVersion() throws Exception {
		this.database = ProcessDatabase.h2();
		Path dataDir = this.temp.resolve("data");
		byte[] data = new byte[(3 << 20) + 17];
		new Random(7).nextBytes(data);
		ComputerClient destination;
		Grant restoreBeforeRotation;
		try (ServerProcess process = ServerProcess.start(dataDir, "256m", this.database.arguments(), true)) {
			TestServer server = process.client();
			captureAndRelease(server, "ROT-OLD", "ROT-NEW", data);
			destination = enroll(server, "ROT-NEW");
			restoreBeforeRotation = destination.request("RESTORE");
		}

		CommandResult rotation = keys(dataDir, "rotate");
		assertThat(rotation.exitCode()).as(rotation.output()).isZero();
		assertThat(rotation.output()).contains("Key-encryption key version 2 is now current").contains("data keys: 1");
		assertThat(Files.readAllLines(dataDir.resolve("keys/master.key")))
			.filteredOn((line) -> line.startsWith("smp-kek v"))
			.hasSize(2);

		try (ServerProcess process = ServerProcess.start(dataDir, "256m", this.database.arguments(), false)) {
			TestServer server = process.client();
			ComputerClient restarted = server.computer("ROT-NEW");
			restarted.impersonate(destination);
			HttpResponse<byte[]> restored = restarted.download(onServer(server, restoreBeforeRotation.storeUrl()),
					restoreBeforeRotation.token(), null);
			assertThat(restored.statusCode()).isEqualTo(200);
			assertThat(restored.body()).isEqualTo(data);
			assertThat(restarted.release(restoreBeforeRotation.token(), true).status()).isEqualTo(200);

			byte[] more = "captured after the rotation".getBytes(StandardCharsets.UTF_8);
			String newToken = captureAndRelease(server, "ROT-OLD-2", "ROT-NEW-2", more);
			assertThat(kid(newToken)).isNotEqualTo(kid(restoreBeforeRotation.token()));
		}

		CommandResult status = keys(dataDir, "status");
		assertThat(status.exitCode()).as(status.output()).isZero();
		assertThat(status.output()).contains("current v2").contains("data keys: v2=2").doesNotContain("v1=");
	}

	/**
	 * With PostgreSQL the server may keep running through {@code keys rotate} on its data directory: it takes in the
	 * new version from its master key file, restores what was re-wrapped, and an upload in flight during the
	 * rotation completes (the command leaves the running server's uploads alone).
	 */
	@Test
	void aRunningServerKeepsWorkingThroughTheRotation() throws Exception {
		this.database = ProcessDatabase.freshPostgres("smp_key_rotation");
		Path dataDir = this.temp.resolve("online");
		byte[] before = randomBytes(1 << 20, 11);
		byte[] during = randomBytes((4 << 20) + 5, 12);
		try (ServerProcess process = ServerProcess.start(dataDir, "256m", this.database.arguments(), true)) {
			TestServer server = process.client();
			captureAndRelease(server, "ONLINE-OLD", "ONLINE-NEW", before);
			ComputerClient destination = enroll(server, "ONLINE-NEW");

			server.admin().createAssociation("INFLIGHT-OLD", "INFLIGHT-NEW", "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient source = enroll(server, "INFLIGHT-OLD");
			Grant capture = source.request("CAPTURE");
			HeldStream body = new HeldStream(during);
			CompletableFuture<Response> upload = CompletableFuture
				.supplyAsync(() -> source.upload(capture.storeUrl(), capture.token(), () -> body, during.length, null));
			assertThat(body.halfSent.await(60, TimeUnit.SECONDS)).as("half the upload sent").isTrue();

			CommandResult rotation = keys(dataDir, "rotate");
			assertThat(rotation.exitCode()).as(rotation.output()).isZero();
			body.held = false;

			assertThat(upload.get(120, TimeUnit.SECONDS).status()).isEqualTo(201);
			assertThat(source.release(capture.token(), true).status()).isEqualTo(200);
			assertThat(restore(server, destination)).isEqualTo(before);
			assertThat(restore(server, enroll(server, "INFLIGHT-NEW"))).isEqualTo(during);
			assertThat(Files.readString(process.log()))
				.contains("Key-encryption key version 2 was added to")
				.doesNotContain("Reconciled the storage folders");
		}
	}

	private static String captureAndRelease(TestServer server, String source, String destination, byte[] data) {
		OperatorClient admin = server.admin();
		admin.createAssociation(source, destination, "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient client = enroll(server, source);
		Grant capture = client.request("CAPTURE");
		assertThat(client.upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		assertThat(client.release(capture.token(), true).status()).isEqualTo(200);
		return capture.token();
	}

	private static ComputerClient enroll(TestServer server, String name) {
		ComputerClient client = server.computer(name);
		assertThat(client.enroll(server.admin().enrollmentCode(name)).status()).isEqualTo(201);
		return client;
	}

	// the store URL of a grant names the port of the server that issued it
	private static String onServer(TestServer server, String url) {
		return server.uri(URI.create(url).getPath()).toString();
	}

	private static String kid(String token) {
		String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
				StandardCharsets.UTF_8);
		return header.replaceAll(".*\"kid\"\\s*:\\s*\"([^\"]+)\".*", "$1");
	}

	private CommandResult keys(Path dataDir, String subcommand) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-jar", JAR.toAbsolutePath().toString(), "keys", subcommand,
				"--smp.data-dir=" + dataDir.toAbsolutePath(),
				"--smp.storage.folders[0].location=" + dataDir.toAbsolutePath().resolve("stores"),
				"--smp.storage.folders[0].min-free-space=0MB"));
		command.addAll(this.database.arguments());
		Path output = this.temp.resolve("keys-" + subcommand + ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("keys " + subcommand + " finished").isTrue();
		return new CommandResult(process.exitValue(), Files.readString(output));
	}

	private static byte[] restore(TestServer server, ComputerClient destination) {
		Grant restore = destination.request("RESTORE");
		var response = destination.download(restore.storeUrl(), restore.token(), null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(destination.release(restore.token(), true).status()).isEqualTo(200);
		return response.body();
	}

	private static byte[] randomBytes(int size, long seed) {
		byte[] data = new byte[size];
		new Random(seed).nextBytes(data);
		return data;
	}

	record CommandResult(int exitCode, String output) {
	}

	/** Sends the first half at once, then a byte every 200 ms (the connection stays alive) until released. */
	private static final class HeldStream extends InputStream {

		final CountDownLatch halfSent = new CountDownLatch(1);

		volatile boolean held = true;

		private final byte[] data;

		private int position;

		HeldStream(byte[] data) {
			this.data = data;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.data.length) {
				return -1;
			}
			int half = this.data.length / 2;
			int count;
			if (this.position >= half && this.held) {
				this.halfSent.countDown();
				sleep();
				count = 1;
			}
			else {
				int limit = (this.position < half) ? half - this.position : this.data.length - this.position;
				count = Math.min(Math.min(length, 64 * 1024), limit);
			}
			System.arraycopy(this.data, this.position, buffer, offset, count);
			this.position += count;
			return count;
		}

		private static void sleep() {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
