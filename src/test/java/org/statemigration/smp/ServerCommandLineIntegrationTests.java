package org.statemigration.smp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.statemigration.smp.support.OperationsTest;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar as an operator first meets it, in a process of its own: {@code --help} and {@code --version}
 * print and exit without starting a server or writing anything where they are run, a word that is no command is
 * refused, and a second server on the data folder of a running one, or a server whose embedded database another
 * process holds, stops at once with one line that says so.
 */
@ServerProcessTest
@OperationsTest
class ServerCommandLineIntegrationTests {

	private static final Path JAR = Path.of("target/smp.jar");

	@TempDir
	Path temp;

	@ParameterizedTest
	@ValueSource(strings = { "--help", "-h", "help" })
	void helpPrintsTheUsageOfTheServerAndEveryCommandAndWritesNothing(String option) throws Exception {
		Path empty = Files.createDirectory(this.temp.resolve("empty"));
		Result result = run(empty, option);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("usage: java -jar smp.jar", "client <enroll|capture|restore|status|renew>",
				"keys rotate|status", "verify [--store ID]", "backup --to DIR", "restore-backup --from DIR",
				"--server.port=8443", "--smp.data-dir=./data", "--spring.config.additional-location=FILE",
				"--spring.datasource.url=jdbc:postgresql://");
		assertThat(result.output()).doesNotContain("Starting SmpApplication", "Tomcat");
		assertNothingWritten(empty);
	}

	@ParameterizedTest
	@ValueSource(strings = { "--version", "-V", "version" })
	void versionPrintsTheBuildsVersionAndWritesNothing(String option) throws Exception {
		Path empty = Files.createDirectory(this.temp.resolve("empty"));
		String version;
		try (JarFile jar = new JarFile(JAR.toFile())) {
			version = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
		}
		assertThat(version).isNotBlank();
		Result result = run(empty, option);
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output().strip()).isEqualTo("smp " + version);
		assertNothingWritten(empty);
	}

	@Test
	void helpAmongServerOptionsStillOnlyPrints() throws Exception {
		Path empty = Files.createDirectory(this.temp.resolve("empty"));
		Result result = run(empty, "--server.port=" + ServerProcess.freePort(), "--help");
		assertThat(result.exitCode()).as(result.output()).isZero();
		assertThat(result.output()).contains("usage: java -jar smp.jar");
		assertNothingWritten(empty);
	}

	@Test
	void aWordThatIsNoCommandIsRefusedWithTheUsage() throws Exception {
		Path empty = Files.createDirectory(this.temp.resolve("empty"));
		Result result = run(empty, "verfiy");
		assertThat(result.exitCode()).as(result.output()).isEqualTo(2);
		assertThat(result.output()).contains("smp: unknown command 'verfiy'", "usage: java -jar smp.jar");
		assertNothingWritten(empty);
	}

	@Test
	void aSecondServerOnTheSameDataFolderStopsWithOneLine() throws Exception {
		Path dataDir = this.temp.resolve("data");
		try (ServerProcess first = ServerProcess.start(dataDir, "256m")) {
			Result second = run(this.temp, "--smp.data-dir=" + dataDir.toAbsolutePath(),
					"--server.port=" + ServerProcess.freePort(), "--server.address=127.0.0.1");
			assertThat(second.exitCode()).as(second.output()).isEqualTo(1);
			assertThat(second.output().strip()).as("one line").doesNotContain("\n");
			assertThat(second.output()).contains("another smp server (process " + first.pid() + ")",
					"data folder " + dataDir.toAbsolutePath(), "--smp.data-dir=");
			assertThat(second.output()).doesNotContain("Exception", "90020", "server mode");
			assertThat(first.isAlive()).isTrue();
			assertThat(first.client().anonymous().get("/actuator/health").status()).isEqualTo(200);
			// killed, as by a power cut: the operating system releases the lock with the process
			first.kill();
		}
		try (ServerProcess again = ServerProcess.start(dataDir, "256m")) {
			assertThat(again.client().anonymous().get("/actuator/health").status()).isEqualTo(200);
		}
	}

	/**
	 * A command run beside no server (here: this process) holds the embedded database, which H2 locks; a server
	 * started meanwhile stops with one line instead of H2's stack trace, and starts once the database is free.
	 */
	@Test
	void aServerWhoseDatabaseAnotherProcessHoldsStopsWithOneLine() throws Exception {
		Path dataDir = this.temp.resolve("held");
		Path database = dataDir.resolve("db").resolve("smp");
		Files.createDirectories(database.getParent());
		try (Connection held = DriverManager.getConnection("jdbc:h2:file:" + database.toAbsolutePath()
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "smp", "")) {
			Result server = run(this.temp, "--smp.data-dir=" + dataDir.toAbsolutePath(),
					"--server.port=" + ServerProcess.freePort(), "--server.address=127.0.0.1");

			assertThat(server.exitCode()).as(server.output()).isEqualTo(1);
			assertThat(server.output().strip()).as("one line").doesNotContain("\n");
			assertThat(server.output()).contains("another smp process", "backup",
					"data folder " + dataDir.toAbsolutePath())
				.doesNotContain("Exception", "90020", "server mode");
		}
		try (ServerProcess after = ServerProcess.start(dataDir, "256m")) {
			assertThat(after.client().anonymous().get("/actuator/health").status()).isEqualTo(200);
		}
	}

	private static void assertNothingWritten(Path directory) throws IOException {
		try (Stream<Path> files = Files.list(directory)) {
			assertThat(files).as("files written in " + directory).isEmpty();
		}
	}

	private Result run(Path directory, String... arguments) throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx256m", "-jar", JAR.toAbsolutePath().toString()));
		command.addAll(List.of(arguments));
		Path output = Files.createTempFile(this.temp, "command-", ".log");
		Process process = new ProcessBuilder(command).directory(directory.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.start();
		assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", arguments) + " finished").isTrue();
		return new Result(process.exitValue(), Files.readString(output));
	}

	/** A command's exit code and what it printed. */
	private record Result(int exitCode, String output) {
	}

}
