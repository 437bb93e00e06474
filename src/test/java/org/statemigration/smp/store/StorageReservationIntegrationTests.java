package org.statemigration.smp.store;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.SmallFileSystem;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reservations against a folder with little room above its minimum free space, on a server of its own: two
 * uploads racing for the last room, and a server that allows immediate deletion.
 */
@ServerProcessTest
class StorageReservationIntegrationTests {

	private static final long MIB = 1024 * 1024;

	private static SmallFileSystem disk;

	private static ServerProcess process;

	private static TestServer server;

	private static OperatorClient admin;

	@BeforeAll
	static void start() throws Exception {
		Path dataDir = Files.createTempDirectory(Path.of("target"), "reservations-");
		// a folder of its own with 100 MB of room: what else uses the machine's disk cannot change it
		disk = SmallFileSystem.mount(dataDir.resolve("stores").toAbsolutePath(), 100);
		process = ServerProcess.start(dataDir, "256m", "--smp.storage.folders[0].location=" + disk.path(),
				"--smp.storage.folders[0].min-free-space=0MB", "--smp.retention.allow-immediate-delete=true");
		server = process.client();
		admin = server.admin();
	}

	@AfterAll
	static void stop() throws Exception {
		if (process != null) {
			process.close();
		}
		if (disk != null) {
			disk.close();
		}
	}

	@Test
	void twoUploadsRacingForTheLastRoomCannotBothHaveIt() throws Exception {
		List<ComputerClient> sources = new ArrayList<>();
		List<Grant> grants = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			String source = "RACE-SRC-" + i;
			admin.createAssociation(source, "RACE-DST-" + i, "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient client = server.computer(source);
			assertThat(client.enroll(admin.enrollmentCode(source)).status()).isEqualTo(201);
			sources.add(client);
			grants.add(client.request("CAPTURE"));
		}
		long size = 60 * MIB;
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			List<Future<String>> uploads = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				ComputerClient client = sources.get(i);
				Grant grant = grants.get(i);
				Callable<String> upload = () -> client.uploadExpectingContinue(grant.storeUrl(), grant.token(), size,
						new ZeroStream(size));
				uploads.add(executor.submit(upload));
			}
			List<String> answers = new ArrayList<>();
			for (Future<String> upload : uploads) {
				answers.add(upload.get());
			}
			assertThat(answers).as(answers.toString()).filteredOn((a) -> a.startsWith("HTTP/1.1 201")).hasSize(1);
			assertThat(answers).filteredOn((a) -> a.startsWith("HTTP/1.1 507"))
				.singleElement()
				.asString()
				.contains("urn:smp:problem:insufficient-storage");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void immediateDeletionIsAllowedWhenConfiguredAndWarnedAbout() throws Exception {
		Response response = admin.patch("/api/v1/settings", Map.of("deleteAfter", "PT0S"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("deleteAfter").asString()).isEqualTo("PT0S");
		assertThat(Files.readString(process.log())).contains("smp.retention.allow-immediate-delete=true");
		admin.patch("/api/v1/settings", Map.of("deleteAfter", "P1D"));
	}

	/** Zeros of a given length, made on the fly. */
	static final class ZeroStream extends InputStream {

		private long left;

		ZeroStream(long size) {
			this.left = size;
		}

		@Override
		public int read() {
			return (this.left-- > 0) ? 0 : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (this.left <= 0) {
				return -1;
			}
			int n = (int) Math.min(len, this.left);
			java.util.Arrays.fill(b, off, off + n, (byte) 0);
			this.left -= n;
			return n;
		}

	}

}
