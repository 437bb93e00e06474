package org.statemigration.smp.keys;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code keys rotate} run between two runs of the server: data captured before the rotation comes back byte for
 * byte, a token issued before it still works, new tokens are signed by a new key, and afterwards no stored secret is
 * wrapped by the old key-encryption key version. (On PostgreSQL the server keeps running through the rotation: see
 * {@link KeyRotationOnPostgresIntegrationTests}.)
 */
class KeyRotationOnH2IntegrationTests extends KeyRotationTests {

	@Override
	ProcessDatabase openDatabase() {
		return ProcessDatabase.h2();
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

}
