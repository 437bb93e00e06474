package org.statemigration.smp.pki.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.zip.ZipFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.SeededStream;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The packaged server on a Java 22 or later runtime, where TLS is served by OpenSSL through FFM when the jar holds
 * Tomcat's FFM classes ({@code mvn -Popenssl package}), and by JSSE with the reason said otherwise. Whichever serves,
 * computers authenticate exactly as with JSSE on Java 17: an enrollment, a capture and a restore with client
 * certificates, a blocked certificate refused, a request without a certificate refused, and a certificate the CA
 * did not issue refused in the handshake itself.
 * <p>
 * The runtime is named by {@code SMP_TEST_OPENSSL_JAVA} (a {@code java} command, as {@code .ci/run} sets it when
 * it finds a JDK 22 or later); without it the class is skipped, saying so.
 */
@ServerProcessTest
class OpenSslTlsIntegrationTests {

	private static final String JAVA = System.getenv("SMP_TEST_OPENSSL_JAVA");

	private static final long SIZE = 48L * 1024 * 1024;

	@TempDir
	Path temp;

	@Test
	void computersAuthenticateOnOpenSslAsOnJsse() throws Exception {
		assumeThat(JAVA).as("SMP_TEST_OPENSSL_JAVA names no java command of Java 22 or later: "
				+ "TLS through OpenSSL is not tested").isNotBlank();
		boolean ffmInJar = holdsTomcatFfmClasses(Path.of("target/smp.jar"));
		try (ServerProcess process = ServerProcess.startOn(JAVA, this.temp.resolve("data"), "192m")) {
			String log = Files.readString(process.log());
			if (ffmInJar) {
				assertThat(log).contains("OpenSSL serves TLS (OpenSSL 3.").doesNotContain("JSSE serves TLS");
			}
			else {
				assertThat(log).contains("JSSE serves TLS: this jar holds no Tomcat FFM classes")
					.doesNotContain("OpenSSL serves TLS");
			}
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			admin.createAssociation("TLS-OLD", "TLS-NEW", "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient source = server.computer("TLS-OLD");
			ComputerClient destination = server.computer("TLS-NEW");
			assertThat(source.enroll(admin.enrollmentCode("TLS-OLD")).status()).isEqualTo(201);
			assertThat(destination.enroll(admin.enrollmentCode("TLS-NEW")).status()).isEqualTo(201);

			byte[] sha256 = digest(new SeededStream(SIZE, 7));
			Grant capture = source.request("CAPTURE");
			Response stored = source.upload(capture.storeUrl(), capture.token(), () -> new SeededStream(SIZE, 7), SIZE,
					"sha-256=:" + Base64.getEncoder().encodeToString(sha256) + ":");
			assertThat(stored.status()).as(stored.body()).isEqualTo(201);
			assertThat(source.release(capture.token(), true).status()).isEqualTo(200);

			Grant restore = destination.request("RESTORE");
			HttpResponse<InputStream> download = destination.downloadTo(restore.storeUrl(), restore.token(),
					HttpResponse.BodyHandlers.ofInputStream());
			assertThat(download.statusCode()).isEqualTo(200);
			assertThat(digest(download.body())).isEqualTo(sha256);
			assertThat(destination.release(restore.token(), true).status()).isEqualTo(200);

			Response block = admin.post("/api/v1/certificates/" + source.serial() + "/block",
					Map.of("reason", "laptop reported stolen"));
			assertThat(block.status()).isEqualTo(200);
			assertThat(source.requestStateStore("CAPTURE").problem()).isEqualTo("certificate-blocked");

			Response anonymous = server.computer("STRANGER").requestStateStore("CAPTURE");
			assertThat(anonymous.status()).isEqualTo(401);
			assertThat(anonymous.problem()).isEqualTo("unauthorized");

			KeyPair keyPair = CertificationRequestsForTests.ecKeyPair("secp256r1");
			X509Certificate selfSigned = TlsBootstrapIntegrationTests.selfSigned(keyPair, "CN=TLS-OLD");
			HttpClient impostor = TlsBootstrapIntegrationTests.client(server.ca(),
					new TlsBootstrapIntegrationTests.PresentAlways(selfSigned, keyPair.getPrivate()));
			HttpRequest request = HttpRequest.newBuilder(URI.create("https://localhost:" + server.port()
					+ "/api/v1/state-stores")).timeout(Duration.ofSeconds(20)).build();
			assertThatIOException().isThrownBy(() -> impostor.send(request, HttpResponse.BodyHandlers.ofString()))
				.withMessageContaining("certificate_unknown");
		}
	}

	private static boolean holdsTomcatFfmClasses(Path jar) throws IOException {
		try (ZipFile zip = new ZipFile(jar.toFile())) {
			return zip.stream().anyMatch((entry) -> entry.getName().startsWith("BOOT-INF/lib/tomcat-coyote-ffm-"));
		}
	}

	private static byte[] digest(InputStream in) throws IOException, NoSuchAlgorithmException {
		try (DigestInputStream digesting = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
			digesting.transferTo(OutputStream.nullOutputStream());
			return digesting.getMessageDigest().digest();
		}
	}

}
