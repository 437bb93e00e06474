package org.statemigration.smp.audit;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a whole migration with every kind of secret against a server process at DEBUG level, then searches its
 * whole application log for each of them: passwords, enrollment codes, tokens and encryption keys must never be
 * written there, not even when something is refused.
 */
@ServerProcessTest
class NoSecretInTheLogIntegrationTests {

	@TempDir
	Path temp;

	@Test
	void noPasswordCodeTokenOrKeyAppearsInTheApplicationLog() throws Exception {
		List<String> secrets = new ArrayList<>();
		try (ServerProcess process = ServerProcess.start(this.temp.resolve("data"), "256m",
				"--logging.level.org.statemigration.smp=DEBUG")) {
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			secrets.add(server.adminPassword());
			OperatorClient viewer = admin.createOperator("viewer", "RECOVERY_VIEWER");
			secrets.add("pw-viewer-0123456789");
			assertThat(server.operator("viewer", "wrong-password-987654").get("/api/v1/associations").status())
				.isEqualTo(401);
			secrets.add("wrong-password-987654");

			String id = admin.createAssociation("LOG-OLD", "LOG-NEW", "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient source = server.computer("LOG-OLD");
			ComputerClient destination = server.computer("LOG-NEW");
			String sourceCode = admin.enrollmentCode("LOG-OLD");
			String destinationCode = admin.enrollmentCode("LOG-NEW");
			secrets.add(sourceCode);
			secrets.add(destinationCode);
			assertThat(source.enroll(sourceCode).status()).isEqualTo(201);
			assertThat(destination.enroll(destinationCode).status()).isEqualTo(201);
			assertThat(server.computer("LOG-OLD").enroll(sourceCode).status()).isEqualTo(401);

			Grant capture = source.request("CAPTURE");
			secrets.add(capture.token());
			secrets.add(capture.encryptionKey());
			assertThat(source.upload(capture.storeUrl(), capture.token(), new byte[5000], null).status()).isEqualTo(201);
			assertThat(destination.upload(capture.storeUrl(), capture.token(), new byte[10], null).status())
				.isEqualTo(401);
			// the same capture again as a resumable (tus) upload, and a tus request with a token of another certificate
			HttpResponse<String> created = source.exchange(HttpRequest
				.newBuilder(server.uri("/api/v1/uploads"))
				.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[4000]))
				.header("Tus-Resumable", "1.0.0")
				.header("Authorization", "Bearer " + capture.token())
				.header("Upload-Length", "4000")
				.header("Content-Type", "application/offset+octet-stream")
				.build());
			assertThat(created.statusCode()).isEqualTo(201);
			assertThat(destination.exchange(HttpRequest.newBuilder(server.uri("/api/v1/uploads"))
				.POST(HttpRequest.BodyPublishers.noBody())
				.header("Tus-Resumable", "1.0.0")
				.header("Authorization", "Bearer " + capture.token())
				.header("Upload-Length", "10")
				.build()).statusCode()).isEqualTo(401);
			assertThat(source.release(capture.token(), true).status()).isEqualTo(200);
			assertThat(source.release(capture.token(), true).status()).isEqualTo(401);

			Grant restore = destination.request("RESTORE");
			secrets.add(restore.token());
			assertThat(destination.download(restore.storeUrl(), restore.token(), null).statusCode()).isEqualTo(200);
			var recovery = viewer.post("/api/v1/associations/" + id + "/recovery-information",
					Map.of("reason", "The destination lost its key"));
			assertThat(recovery.status()).isEqualTo(200);
			assertThat(recovery.json().path("encryptionKey").asString()).isEqualTo(capture.encryptionKey());
			assertThat(destination.release(restore.token(), true).status()).isEqualTo(200);

			String log = Files.readString(process.log());
			assertThat(log).contains("LOG-OLD");
			for (String secret : secrets) {
				assertThat(log).as("a secret in the application log").doesNotContain(secret);
			}
			// a token's signature is the part that makes it a credential
			assertThat(log).doesNotContain(capture.token().substring(capture.token().lastIndexOf('.') + 1));
		}
	}

}
