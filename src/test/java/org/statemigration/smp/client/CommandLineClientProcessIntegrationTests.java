package org.statemigration.smp.client;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client as a task sequence runs it: {@code java -jar target/smp.jar client ...} (and the {@code deploy/smp}
 * launcher) in a process of its own, against the test server, with the default identity folder under the
 * user's home. Exit codes are the process's.
 */
@IntegrationTest
class CommandLineClientProcessIntegrationTests extends ClientTestSupport {

	private static final Path JAR = Path.of("target/smp.jar");

	@Test
	void capturesAndRestoresAsAProgramOfItsOwn() throws Exception {
		Pair pair = pair();
		Path sourceHome = Files.createDirectories(this.work.resolve("source-home"));
		Path destinationHome = Files.createDirectories(this.work.resolve("destination-home"));
		Path data = randomFile("USMT.MIG", 2 * 1024 * 1024 + 99);

		Run sourceEnrolled = jar(sourceHome, "enroll", "--server", serverUrl(), "--code",
				this.admin.enrollmentCode(pair.source()), "--fingerprint", serverFingerprint());
		assertThat(sourceEnrolled.exit()).as(sourceEnrolled.err()).isZero();
		Path identity = sourceHome.resolve(".smp");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity))).isEqualTo("rwx------");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity.resolve("client.key"))))
			.isEqualTo("rw-------");

		Run capture = jar(sourceHome, "capture", data.toString());
		assertThat(capture.exit()).as(capture.err()).isZero();
		assertThat(capture.out()).isEmpty();
		assertThat(state(pair.associationId())).isEqualTo("CAPTURED");

		Run destinationEnrolled = launcher(destinationHome, "enroll", "--server", serverUrl(), "--code",
				this.admin.enrollmentCode(pair.destination()), "--fingerprint", serverFingerprint());
		assertThat(destinationEnrolled.exit()).as(destinationEnrolled.err()).isZero();
		Path restored = this.work.resolve("restored.mig");
		Run restore = launcher(destinationHome, "client", "restore", "--print-key", restored.toString());
		assertThat(restore.exit()).as(restore.err()).isZero();
		assertThat(restore.out().strip()).isEqualTo(encryptionKey(pair.associationId()));
		assertThat(Files.mismatch(data, restored)).isEqualTo(-1);
		assertThat(state(pair.associationId())).isEqualTo("RESTORED");

		Run status = jar(destinationHome, "status");
		assertThat(status.exit()).as(status.err()).isZero();
		assertThat(status.out()).contains(pair.associationId(), "RESTORED");
	}

	@Test
	void endsWithTheDocumentedExitCodes() throws Exception {
		Path home = Files.createDirectories(this.work.resolve("home"));
		assertThat(jar(home, "capture", "--no-such-option").exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(jar(home, "status").exit()).as("not enrolled").isEqualTo(ExitCodes.USAGE);

		Pair pair = pair();
		String code = this.admin.enrollmentCode(pair.destination());
		Run wrongServer = jar(home, "enroll", "--server", serverUrl(), "--code", code, "--fingerprint",
				"00".repeat(32), "--retries", "1");
		assertThat(wrongServer.exit()).isEqualTo(ExitCodes.INTEGRITY);
		assertThat(wrongServer.err()).doesNotContain(code);

		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		Run down = jar(home, "enroll", "--server", "https://localhost:" + closedPort, "--code", code, "--fingerprint",
				serverFingerprint(), "--retries", "2", "--retry-delay", "PT0.1S");
		assertThat(down.exit()).isEqualTo(ExitCodes.NETWORK);

		assertThat(jar(home, "enroll", "--server", serverUrl(), "--code", code, "--fingerprint", serverFingerprint())
			.exit()).isZero();
		Run noAssociation = jar(home, "capture", randomFile("data.mig", 1000).toString());
		assertThat(noAssociation.exit()).isEqualTo(ExitCodes.NO_ASSOCIATION);
		Run refused = jar(home, "restore", this.work.resolve("out.mig").toString());
		assertThat(refused.exit()).as("nothing captured yet").isEqualTo(ExitCodes.REFUSED);
	}

	/** {@code java -jar target/smp.jar client ARGS} with the user's home at {@code home}. */
	private Run jar(Path home, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Duser.home=" + home.toAbsolutePath(), "-jar", jarPath(), "client"));
		command.addAll(List.of(args));
		return run(new ProcessBuilder(command));
	}

	/** {@code deploy/smp ARGS}, the POSIX launcher, with the user's home at {@code home}. */
	private Run launcher(Path home, String... args) throws Exception {
		List<String> command = new ArrayList<>(List.of("sh", Path.of("deploy/smp").toAbsolutePath().toString()));
		command.addAll(List.of(args));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().put("SMP_JAR", jarPath());
		builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
		builder.environment().put("SMP_JAVA_OPTS", "-Duser.home=" + home.toAbsolutePath());
		return run(builder);
	}

	private static String jarPath() {
		if (Files.notExists(JAR)) {
			throw new IllegalStateException(JAR + " is missing: integration tests run after the package phase");
		}
		return JAR.toAbsolutePath().toString();
	}

	private Run run(ProcessBuilder builder) throws IOException, InterruptedException {
		Path out = Files.createTempFile(this.work, "out", ".txt");
		Path err = Files.createTempFile(this.work, "err", ".txt");
		Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
		if (!process.waitFor(120, TimeUnit.SECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("The client did not end within 120 s: " + Files.readString(err));
		}
		return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
				Files.readString(err, StandardCharsets.UTF_8));
	}

}
