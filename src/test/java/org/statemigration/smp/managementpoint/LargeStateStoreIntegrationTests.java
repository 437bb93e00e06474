package org.statemigration.smp.managementpoint;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer.Response;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A state store five times larger than the server's heap goes in and comes out intact: the data path streams,
 * whatever the size. The server is the packaged jar in its own process with {@code -Xmx128m}.
 */
@ServerProcessTest
class LargeStateStoreIntegrationTests {

	private static final long SIZE = 640L * 1024 * 1024;

	@TempDir
	Path temp;

	@Test
	void movesABlobFiveTimesLargerThanTheServerHeap() throws Exception {
		try (ServerProcess process = ServerProcess.start(this.temp.resolve("data"), "128m")) {
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			admin.createAssociation("BIG-OLD", "BIG-NEW", "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient source = server.computer("BIG-OLD");
			ComputerClient destination = server.computer("BIG-NEW");
			assertThat(source.enroll(admin.enrollmentCode("BIG-OLD")).status()).isEqualTo(201);
			assertThat(destination.enroll(admin.enrollmentCode("BIG-NEW")).status()).isEqualTo(201);
			byte[] sha256 = digest(new SeededStream(SIZE, 640));

			Grant capture = source.request("CAPTURE");
			Response stored = source.upload(capture.storeUrl(), capture.token(), () -> new SeededStream(SIZE, 640), SIZE,
					"sha-256=:" + Base64.getEncoder().encodeToString(sha256) + ":");
			assertThat(stored.status()).isEqualTo(201);
			assertThat(stored.json().path("sizeBytes").asLong()).isEqualTo(SIZE);
			assertThat(source.release(capture.token(), true).status()).isEqualTo(200);

			Grant restore = destination.request("RESTORE");
			HttpResponse<InputStream> download = destination.downloadTo(restore.storeUrl(), restore.token(),
					HttpResponse.BodyHandlers.ofInputStream());
			assertThat(download.statusCode()).isEqualTo(200);
			assertThat(HexFormat.of().formatHex(digest(download.body())))
				.isEqualTo(HexFormat.of().formatHex(sha256));
			assertThat(destination.release(restore.token(), true).status()).isEqualTo(200);
			assertThat(Files.readString(process.log())).doesNotContain("OutOfMemoryError");
		}
	}

	private static byte[] digest(InputStream in) throws IOException {
		try (DigestInputStream digesting = new DigestInputStream(in, sha256())) {
			byte[] buffer = new byte[1 << 20];
			while (digesting.read(buffer) != -1) {
				// the digest is all we keep
			}
			return digesting.getMessageDigest().digest();
		}
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
