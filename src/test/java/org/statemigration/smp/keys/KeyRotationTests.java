package org.statemigration.smp.keys;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the {@code keys rotate} tests share: the packaged server and the command, each in a process of its own, on
 * a database that is new for each test.
 */
@ServerProcessTest
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
