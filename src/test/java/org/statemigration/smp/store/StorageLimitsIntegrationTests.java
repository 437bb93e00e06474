package org.statemigration.smp.store;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A storage folder's limits, on servers configured for them (the packaged jar in processes of their own):
 * {@code max-clients} and {@code min-free-space} in percent refuse new captures with 507, and a folder below its
 * minimum or not writable takes the {@code storage} health component, and the server's health, DOWN.
 */
@ServerProcessTest
class StorageLimitsIntegrationTests {

	/** A folder with {@code max-clients=1} and {@code min-free-space=0MB}, shared by the tests that need no other. */
	@TempDir
	static Path sharedTemp;

	static ServerProcess oneClient;

	@TempDir
	Path temp;

	@BeforeAll
	static void startServerWithOneClientSlot() throws IOException {
		oneClient = ServerProcess.start(sharedTemp.resolve("data"), "256m", "--smp.storage.folders[0].max-clients=1");
	}

	@AfterAll
	static void stopServerWithOneClientSlot() throws InterruptedException {
		if (oneClient != null) {
			oneClient.close();
		}
	}

	@Test
	void captureBeyondMaxClientsIsRefusedWithInsufficientStorage() {
		TestServer server = oneClient.client();
		ComputerClient first = enrolledSource(server, "FIRST");
		ComputerClient second = enrolledSource(server, "SECOND");

		assertThat(first.requestStateStore("CAPTURE").status()).isEqualTo(200);
		Response refused = second.requestStateStore("CAPTURE");
		assertThat(refused.status()).as(refused.body()).isEqualTo(507);
		assertThat(refused.problem()).isEqualTo("insufficient-storage");
		// the client that holds the slot may ask again
		assertThat(first.requestStateStore("CAPTURE").status()).isEqualTo(200);

		JsonNode folder = onlyFolder(server.admin());
		assertThat(folder.path("maxClients").asInt()).isEqualTo(1);
		assertThat(folder.path("clients").asInt()).isEqualTo(1);
		assertThat(folder.path("accepting").asBoolean()).isFalse();
		// a full folder is a planning matter, not a fault
		assertThat(server.anonymous().get("/actuator/health").status()).isEqualTo(200);
	}

	@Test
	void folderBelowItsMinimumInPercentRefusesCapturesAndIsDown() throws Exception {
		Files.createDirectories(this.temp);
		FileStore disk = Files.getFileStore(this.temp);
		Assumptions.assumeTrue(disk.getUsableSpace() < disk.getTotalSpace() / 100 * 99,
				"the test file system is more than 99% free");
		try (ServerProcess process = ServerProcess.start(this.temp.resolve("data"), "256m",
				"--smp.storage.folders[0].min-free-space=99%")) {
			TestServer server = process.client();
			ComputerClient source = enrolledSource(server, "NOROOM");

			Response refused = source.requestStateStore("CAPTURE");
			assertThat(refused.status()).as(refused.body()).isEqualTo(507);
			assertThat(refused.problem()).isEqualTo("insufficient-storage");

			JsonNode folder = onlyFolder(server.admin());
			assertThat(folder.path("minFreeSpace").asString()).isEqualTo("99%");
			assertThat(folder.path("accepting").asBoolean()).isFalse();

			Response anonymous = server.anonymous().get("/actuator/health");
			assertThat(anonymous.status()).isEqualTo(503);
			assertThat(StorageApiIntegrationTests.fieldNames(anonymous.json())).containsExactly("status");
			assertThat(anonymous.json().path("status").asString()).isEqualTo("DOWN");

			JsonNode storage = storageHealth(server, 503);
			assertThat(storage.path("status").asString()).isEqualTo("DOWN");
			JsonNode details = storage.path("details").path(folder.path("location").asString());
			assertThat(details.path("writable").asBoolean()).isTrue();
			assertThat(details.path("usableBytes").asLong()).isLessThan(details.path("minimumBytes").asLong());
		}
	}

	@Test
	void folderThatCannotBeWrittenIsDownUntilItCanAgain() throws Exception {
		TestServer server = oneClient.client();
		String location = onlyFolder(server.admin()).path("location").asString();
		assertThat(storageHealth(server, 200).path("status").asString()).isEqualTo("UP");

		try (ReadOnlyFolder readOnly = ReadOnlyFolder.of(Path.of(location))) {
			JsonNode storage = storageHealth(server, 503);
			assertThat(storage.path("status").asString()).as(readOnly.how()).isEqualTo("DOWN");
			assertThat(storage.path("details").path(location).path("writable").asBoolean()).isFalse();
			assertThat(server.anonymous().get("/actuator/health").status()).isEqualTo(503);
		}
		assertThat(storageHealth(server, 200).path("status").asString()).isEqualTo("UP");
	}

	private static ComputerClient enrolledSource(TestServer server, String prefix) {
		OperatorClient admin = server.admin();
		String name = prefix + "-SRC";
		admin.createAssociation(name, prefix + "-DST", "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = server.computer(name);
		assertThat(computer.enroll(admin.enrollmentCode(name)).status()).isEqualTo(201);
		return computer;
	}

	private static JsonNode onlyFolder(OperatorClient admin) {
		Response response = admin.get("/api/v1/storage");
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().path("folders")).hasSize(1);
		return response.json().path("folders").get(0);
	}

	private static JsonNode storageHealth(TestServer server, int status) {
		Response response = server.admin().get("/actuator/health");
		assertThat(response.status()).as(response.body()).isEqualTo(status);
		return response.json().path("components").path("storage");
	}

	/**
	 * Makes a folder read-only for the server: by its permissions where they bind (not as root), else by mounting
	 * an empty read-only tmpfs over it. Where neither is possible the test is skipped, loudly, except on CI.
	 */
	private record ReadOnlyFolder(Path folder, boolean mounted, String how) implements AutoCloseable {

		static ReadOnlyFolder of(Path folder) throws IOException, InterruptedException {
			Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("r-x------"));
			if (!canWrite(folder)) {
				return new ReadOnlyFolder(folder, false, "permissions r-x------");
			}
			Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwx------"));
			if (run("mount", "-t", "tmpfs", "-o", "ro,size=1m", "tmpfs", folder.toString())) {
				return new ReadOnlyFolder(folder, true, "read-only tmpfs mounted over it");
			}
			String reason = "Permissions do not stop this user from writing to " + folder
					+ " and a read-only tmpfs cannot be mounted over it";
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException(reason + "; CI must run this test");
			}
			System.err.println("WARNING: " + reason + ": the unwritable storage folder test is SKIPPED");
			Assumptions.abort(reason);
			return null;
		}

		@Override
		public void close() throws IOException, InterruptedException {
			if (this.mounted) {
				assertThat(run("umount", this.folder.toString())).as("umount " + this.folder).isTrue();
			}
			else {
				Files.setPosixFilePermissions(this.folder, PosixFilePermissions.fromString("rwx------"));
			}
		}

		private static boolean canWrite(Path folder) {
			try {
				Files.delete(Files.createTempFile(folder, "probe", ".tmp"));
				return true;
			}
			catch (IOException ex) {
				return false;
			}
		}

		private static boolean run(String... command) throws IOException, InterruptedException {
			Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}

	}

}
