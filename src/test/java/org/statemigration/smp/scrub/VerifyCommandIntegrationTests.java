package org.statemigration.smp.scrub;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperationsTest;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code java -jar smp.jar verify} in a process of its own beside the packaged server: on H2 it says clearly that
 * a running server holds the database, and with the server stopped it names the one damaged store among several and
 * exits with the damage code, the store then refused to a restore; on PostgreSQL it runs while the server runs.
 */
@ServerProcessTest
@OperationsTest
@NeedsPostgres
class VerifyCommandIntegrationTests {

	private static final Path JAR = Path.of("target/smp.jar");

	@TempDir
	Path temp;

	private ProcessDatabase database;

	@AfterEach
	void closeTheDatabase() throws SQLException {
		if (this.database != null) {
			this.database.close();
		}
	}

	@Test
	void onH2VerifyNamesTheDamagedStoreOnceTheServerIsStopped() throws Exception {
		this.database = ProcessDatabase.h2();
		Path dataDir = this.temp.resolve("data");
		String[] associations = new String[3];
		try (ServerProcess process = ServerProcess.start(dataDir, "256m", this.database.arguments(), true)) {
			TestServer server = process.client();
			for (int i = 0; i < associations.length; i++) {
				associations[i] = ScrubIntegrationTests.captureAndRelease(server, "VERIFY-OLD-" + i, "VERIFY-NEW-" + i,
						ScrubIntegrationTests.randomBytes((2 << 20) + i, 20 + i));
			}
			CommandResult locked = verify(dataDir);
			assertThat(locked.exitCode()).as(locked.output()).isEqualTo(1);
			assertThat(locked.output()).contains("in use by a running server").contains("smp.scrub.enabled=true");
		}

		Path damaged = ScrubIntegrationTests.blobOf(dataDir, associations[2]);
		String damagedId = damaged.getFileName().toString().replace(".smp", "");
		ScrubIntegrationTests.flipBit(damaged, 2 * ((1 << 20) + 16) + 20 + 1);
		CommandResult result = verify(dataDir);
		assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
		assertThat(result.output()).contains("Checked 3 state store(s)")
			.contains("1 damaged")
			.contains("association " + associations[2] + ", state store " + damagedId)
			.contains("authentication-failed: Segment 2 failed authentication")
			.doesNotContain("association " + associations[0] + ",")
			.doesNotContain("association " + associations[1] + ",");

		String intactId = ScrubIntegrationTests.blobOf(dataDir, associations[0]).getFileName().toString()
			.replace(".smp", "");
		CommandResult one = verify(dataDir, "--store", intactId);
		assertThat(one.exitCode()).as(one.output()).isZero();
		assertThat(one.output()).contains("Checked 1 state store(s)").contains(intactId + " INTACT");
		CommandResult usage = verify(dataDir, "--store", "not-an-id");
		assertThat(usage.exitCode()).as(usage.output()).isEqualTo(2);

		try (ServerProcess process = ServerProcess.start(dataDir, "256m", this.database.arguments(), false)) {
			TestServer server = process.client();
			ComputerClient destination = ScrubIntegrationTests.enroll(server, "VERIFY-NEW-2");
			Response refused = destination.requestStateStore("RESTORE");
			assertThat(refused.status()).isEqualTo(409);
			assertThat(refused.problem()).isEqualTo("store-damaged");
			assertThat(server.admin().get("/api/v1/audit?action=store.damaged").json().path("items")).singleElement()
				.satisfies((event) -> assertThat(event.path("detail").asString()).contains(damagedId)
					.contains("the verify command"));
		}
	}

	@Test
	void onPostgresqlVerifyRunsBesideARunningServer() throws Exception {
		this.database = ProcessDatabase.freshPostgres("smp_scrub_verify");
		Path dataDir = this.temp.resolve("online");
		try (ServerProcess process = ServerProcess.start(dataDir, "256m", this.database.arguments(), true)) {
			TestServer server = process.client();
			String intact = ScrubIntegrationTests.captureAndRelease(server, "ONLINE-OLD-1", "ONLINE-NEW-1",
					ScrubIntegrationTests.randomBytes(300_000, 1));
			String cut = ScrubIntegrationTests.captureAndRelease(server, "ONLINE-OLD-2", "ONLINE-NEW-2",
					ScrubIntegrationTests.randomBytes(300_000, 2));
			Path blob = ScrubIntegrationTests.blobOf(dataDir, cut);
			try (FileChannel channel = FileChannel.open(blob, StandardOpenOption.WRITE)) {
				channel.truncate(Files.size(blob) - 10);
			}
			CommandResult result = verify(dataDir);
			assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
			assertThat(result.output()).contains("association " + cut + ", state store").contains("truncated")
				.doesNotContain("association " + intact + ",");
			Response refused = ScrubIntegrationTests.enroll(server, "ONLINE-NEW-2").requestStateStore("RESTORE");
			assertThat(refused.problem()).isEqualTo("store-damaged");
		}
	}

	private CommandResult verify(Path dataDir, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-jar", JAR.toAbsolutePath().toString(), "verify"));
		command.addAll(List.of(arguments));
		command.addAll(List.of("--smp.data-dir=" + dataDir.toAbsolutePath(),
				"--smp.storage.folders[0].location=" + dataDir.toAbsolutePath().resolve("stores"),
				"--smp.storage.folders[0].min-free-space=0MB"));
		command.addAll(this.database.arguments());
		Path output = Files.createTempFile(this.temp, "verify", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("verify finished").isTrue();
		return new CommandResult(process.exitValue(), Files.readString(output));
	}

	record CommandResult(int exitCode, String output) {
	}

}
