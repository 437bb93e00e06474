package org.statemigration.smp.keys;

import java.io.IOException;
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
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keys rotate} run as its own process between two runs of the server: data captured before the
 * rotation comes back byte for byte, a token issued before it still works, new tokens are signed by a new key, and
 * afterwards no stored secret is wrapped by the old key-encryption key version.
 */
abstract class KeyRotationTests {

	private static final Path JAR = Path.of("target/smp.jar");

	@TempDir
	Path temp;

	ProcessDatabase database;

	/** The database the server and the command share, new for each test. */
	abstract ProcessDatabase openDatabase();

	@BeforeEach
	void openTheDatabase() {
		this.database = openDatabase();
	}

	@AfterEach
	void closeTheDatabase() throws SQLException {
		this.database.close();
	}

	@Test
	void restoresDataCapturedBeforeRotationAndWrapsEverySecretWithTheNewVersion() throws Exception {
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

	static String captureAndRelease(TestServer server, String source, String destination, byte[] data) {
		OperatorClient admin = server.admin();
		admin.createAssociation(source, destination, "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient client = enroll(server, source);
		Grant capture = client.request("CAPTURE");
		assertThat(client.upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		assertThat(client.release(capture.token(), true).status()).isEqualTo(200);
		return capture.token();
	}

	static ComputerClient enroll(TestServer server, String name) {
		ComputerClient client = server.computer(name);
		assertThat(client.enroll(server.admin().enrollmentCode(name)).status()).isEqualTo(201);
		return client;
	}

	// the store URL of a grant names the port of the server that issued it
	static String onServer(TestServer server, String url) {
		return server.uri(URI.create(url).getPath()).toString();
	}

	static String kid(String token) {
		String header = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
				StandardCharsets.UTF_8);
		return header.replaceAll(".*\"kid\"\\s*:\\s*\"([^\"]+)\".*", "$1");
	}

	CommandResult keys(Path dataDir, String subcommand) throws IOException, InterruptedException {
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

	record CommandResult(int exitCode, String output) {
	}

}
