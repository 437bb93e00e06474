package org.statemigration.smp.client;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.io.TempDir;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the command-line client's tests share: running the client's entry point in this process with its output
 * captured, the server's fingerprint as an operator reads it, associations with enrollment codes, and data.
 */
abstract class ClientTestSupport extends AdminApiTestSupport {

	@TempDir
	Path work;

	/** Runs {@code smp client ...} in this process, as a task sequence would, without a terminal. */
	static Run client(String... args) {
		List<String> all = new ArrayList<>(List.of("client"));
		all.addAll(List.of(args));
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ByteArrayOutputStream err = new ByteArrayOutputStream();
		int exit = SmpClient.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
				new PrintStream(err, true, StandardCharsets.UTF_8), false);
		return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	/** The SHA-256 fingerprint of the server's TLS certificate, as the server prints it at start. */
	String serverFingerprint() throws Exception {
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("ca", this.server.ca());
		TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		factory.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(null, factory.getTrustManagers(), null);
		try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", this.port)) {
			socket.startHandshake();
			X509Certificate certificate = (X509Certificate) socket.getSession().getPeerCertificates()[0];
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
			return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
		}
	}

	String serverUrl() {
		return this.server.uri("/").toString();
	}

	/** Enrolls the computer through the client into the folder, pinning the server's fingerprint. */
	Path enrolled(String computer, String serverUrl) throws Exception {
		Path identity = this.work.resolve("identity-" + computer);
		Run run = client("enroll", "--server", serverUrl, "--code", this.admin.enrollmentCode(computer),
				"--fingerprint", serverFingerprint(), "--identity", identity.toString());
		assertThat(run.exit()).as(run.err()).isZero();
		return identity;
	}

	Path enrolled(String computer) throws Exception {
		return enrolled(computer, serverUrl());
	}

	/** A new association between two new computers, in the mode that allows several per source. */
	Pair pair() {
		String source = unique("CLI-SRC");
		String destination = unique("CLI-DST");
		String id = this.admin.createAssociation(source, destination, "CAPTURE_ALL_RESTORE_ALL");
		return new Pair(id, source, destination);
	}

	String state(String associationId) {
		return this.admin.association(associationId).path("state").asString();
	}

	String encryptionKey(String associationId) {
		Response response = this.admin.post("/api/v1/associations/" + associationId + "/recovery-information",
				Map.of("reason", "checking the key the client printed"));
		assertThat(response.status()).isEqualTo(200);
		return response.json().path("encryptionKey").asString();
	}

	Path randomFile(String name, int size) throws IOException {
		byte[] data = new byte[size];
		new Random(size).nextBytes(data);
		Path file = this.work.resolve(name);
		Files.write(file, data);
		return file;
	}

	static String sha256Hex(Path file) throws Exception {
		MessageDigest digest = MessageDigest.getInstance("SHA-256");
		try (var in = Files.newInputStream(file)) {
			byte[] buffer = new byte[1 << 16];
			int read;
			while ((read = in.read(buffer)) != -1) {
				digest.update(buffer, 0, read);
			}
		}
		return HexFormat.of().formatHex(digest.digest());
	}

	record Pair(String associationId, String source, String destination) {
	}

	/** An exit code with what the client wrote to standard output and standard error. */
	record Run(int exit, String out, String err) {
	}

}
