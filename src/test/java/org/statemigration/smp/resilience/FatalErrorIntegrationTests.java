package org.statemigration.smp.resilience;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server that runs out of memory ends, so that its service manager starts a sound one, rather than staying up
 * half deaf. To make it run out, the limit of transfers is lifted far beyond what its small heap holds, and the
 * server is started without the JVM's own {@code -XX:+ExitOnOutOfMemoryError}: what ends it is smp itself.
 */
@ServerProcessTest
class FatalErrorIntegrationTests {

	@Test
	void runningOutOfMemoryEndsTheProcess() throws Exception {
		Path dataDir = Files.createTempDirectory(Path.of("target"), "fatal-error-");
		try (ServerProcess process = ServerProcess.start(dataDir, "128m", "--smp.transfers.max-concurrent=10000")) {
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			List<SlowClient> uploads = new ArrayList<>();
			AtomicBoolean stop = new AtomicBoolean();
			for (int i = 0; i < 60; i++) {
				String source = "OOM-SRC-" + i;
				admin.createAssociation(source, "OOM-DST-" + i, "CAPTURE_ALL_RESTORE_ALL");
				ComputerClient client = server.computer(source);
				assertThat(client.enroll(admin.enrollmentCode(source)).status()).isEqualTo(201);
				Grant grant = client.request("CAPTURE");
				String head = "PUT " + java.net.URI.create(grant.storeUrl()).getRawPath()
						+ " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + grant.token()
						+ "\r\nContent-Length: " + 64L * 1024 * 1024;
				uploads.add(new SlowClient(client.sslContext(), InetAddress.getLoopbackAddress(), server.port(), head,
						64 * 1024, Duration.ofMillis(200), stop::get));
			}
			ExecutorService executor = Executors.newFixedThreadPool(uploads.size());
			try {
				uploads.forEach(executor::submit);
				int status = process.awaitExit(Duration.ofSeconds(120));
				assertThat(status).as("exit status of the server (-1: still running)").isEqualTo(3);
			}
			finally {
				stop.set(true);
				executor.shutdownNow();
			}
			assertThat(log(process)).contains("FATAL: java.lang.OutOfMemoryError");
		}
	}

	private static String log(ServerProcess process) throws IOException {
		return Files.readString(process.log());
	}

}
