package org.statemigration.smp.client;

import java.io.RandomAccessFile;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.InterruptingProxy;
import org.statemigration.smp.support.LostAnswers;
import org.statemigration.smp.support.OnBothDatabases;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code smp client} command line against the real server over TLS, run in this process: enrollment with
 * fingerprint pinning and owner-only identity files, capture and restore byte for byte, status, and the exit
 * code of each way it can end. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class CommandLineClientIntegrationTests extends ClientTestSupport {

	private static final String RELEASE = "/api/v1/mp/release-state-store";

	@AfterEach
	void loseNoMoreAnswers() {
		LostAnswers.reset();
	}

	@Test
	void enrollKeepsKeyAndCertificateOwnerOnlyAndPinsTheServer() throws Exception {
		Pair pair = pair();
		String code = this.admin.enrollmentCode(pair.source());
		Path identity = this.work.resolve("nested").resolve("identity");

		Run run = client("enroll", "--server", serverUrl(), "--code", code, "--fingerprint", serverFingerprint(),
				"--identity", identity.toString(), "--retries", "1");

		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.out()).isEmpty();
		assertThat(run.err()).contains("Enrolled as " + pair.source()).doesNotContain(code);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity))).isEqualTo("rwx------");
		for (String file : new String[] { "client.key", "client.crt", "ca.crt", "server.properties" }) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity.resolve(file))))
				.as(file)
				.isEqualTo("rw-------");
		}
		assertThat(Files.readString(identity.resolve("client.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
		String saved = Files.readString(identity.resolve("server.properties"));
		assertThat(saved).contains(serverFingerprint().replace(":", "").toLowerCase()).contains(String.valueOf(this.port));
		JsonNode certificates = this.admin.get("/api/v1/computers/" + pair.source()).json().path("certificates");
		assertThat(certificates).hasSize(1);
		try (var files = Files.list(identity)) {
			assertThat(files.map((p) -> p.getFileName().toString())).containsExactlyInAnyOrder("client.key",
					"client.crt", "ca.crt", "server.properties");
		}
	}

	@Test
	void enrollWithAWrongFingerprintIsRefusedBeforeTheCodeIsSent() throws Exception {
		Pair pair = pair();
		String code = this.admin.enrollmentCode(pair.source());
		Path identity = this.work.resolve("identity");
		String wrong = "AB:".repeat(31) + "AB";

		Run refused = client("enroll", "--server", serverUrl(), "--code", code, "--fingerprint", wrong, "--identity",
				identity.toString(), "--retries", "1");

		assertThat(refused.exit()).isEqualTo(ExitCodes.INTEGRITY);
		assertThat(refused.err()).contains("not the pinned one").doesNotContain(code);
		assertThat(identity).doesNotExist();
		Run enrolled = client("enroll", "--server", serverUrl(), "--code", code, "--fingerprint", serverFingerprint(),
				"--identity", identity.toString());
		assertThat(enrolled.exit()).as("the code was not spent: %s", enrolled.err()).isZero();
	}

	@Test
	void enrollWithoutFingerprintTrustsOnlyTheSystemTrustStore() throws Exception {
		Pair pair = pair();
		Run run = client("enroll", "--server", serverUrl(), "--code", this.admin.enrollmentCode(pair.source()),
				"--identity", this.work.resolve("identity").toString(), "--retries", "1");

		assertThat(run.exit()).isEqualTo(ExitCodes.INTEGRITY);
		assertThat(run.err()).contains("not trusted by this system", "nothing was sent to it",
				"pin it: enroll again with --fingerprint " + serverFingerprint());
	}

	@Test
	void enrollWithAWrongCodeIsRefused() throws Exception {
		Pair pair = pair();
		this.admin.enrollmentCode(pair.source());
		Run run = client("enroll", "--server", serverUrl(), "--code", "AAAAA-BBBBB-CCCCC-DDDDD", "--fingerprint",
				serverFingerprint(), "--identity", this.work.resolve("identity").toString());

		assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED);
		assertThat(run.err()).contains("enrollment-code-invalid").doesNotContain("AAAAA-BBBBB");
		assertThat(this.work.resolve("identity")).doesNotExist();
	}

	@Test
	void enrollSendsTheComputersSmbiosUuidAndMacAddresses() throws Exception {
		Pair pair = pair();
		java.util.UUID guid = java.util.UUID.randomUUID();
		assertThat(this.admin.put("/api/v1/computers/" + pair.source() + "/identity",
				java.util.Map.of("smbiosGuid", guid.toString())).status()).isEqualTo(200);
		String mac = String.format("06:%02X:%02X:%02X:%02X:01", (int) (Math.random() * 256),
				(int) (Math.random() * 256), (int) (Math.random() * 256), (int) (Math.random() * 256));

		Run contradicting = client("enroll", "--server", serverUrl(), "--code",
				this.admin.enrollmentCode(pair.source()), "--fingerprint", serverFingerprint(), "--identity",
				this.work.resolve("refused").toString(), "--retries", "1", "--smbios-uuid",
				java.util.UUID.randomUUID().toString());
		assertThat(contradicting.exit()).as(contradicting.err()).isEqualTo(ExitCodes.REFUSED);
		assertThat(contradicting.err()).contains("identity-conflict");

		Run run = client("enroll", "--server", serverUrl(), "--code", this.admin.enrollmentCode(pair.source()),
				"--fingerprint", serverFingerprint(), "--identity", this.work.resolve("identity").toString(),
				"--smbios-uuid", guid.toString().toUpperCase(), "--mac-address", mac.replace(':', '-') + ",");

		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.err()).contains("Enrolled as " + pair.source() + " (recognised by smbios guid)");
		assertThat(this.admin.get("/api/v1/computers/" + pair.source()).json().path("macAddresses").get(0)
			.asString()).isEqualTo(mac);
	}

	@Test
	void enrollRefusesToReplaceAnIdentityUnlessForced() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		String certificate = Files.readString(identity.resolve("client.crt"));

		Run again = client("enroll", "--server", serverUrl(), "--code", this.admin.enrollmentCode(pair.source()),
				"--fingerprint", serverFingerprint(), "--identity", identity.toString());
		assertThat(again.exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(Files.readString(identity.resolve("client.crt"))).isEqualTo(certificate);

		Run forced = client("enroll", "--server", serverUrl(), "--code", this.admin.enrollmentCode(pair.source()),
				"--fingerprint", serverFingerprint(), "--identity", identity.toString(), "--force");
		assertThat(forced.exit()).as(forced.err()).isZero();
		assertThat(Files.readString(identity.resolve("client.crt"))).isNotEqualTo(certificate);
	}

	@Test
	void capturesAndRestoresAFileByteForByte() throws Exception {
		Pair pair = pair();
		Path sourceIdentity = enrolled(pair.source());
		Path destinationIdentity = enrolled(pair.destination());
		Path captured = randomFile("USMT.MIG", 3 * 1024 * 1024 + 4321);

		Run capture = client("capture", captured.toString(), "--identity", sourceIdentity.toString());

		assertThat(capture.exit()).as(capture.err()).isZero();
		assertThat(capture.out()).as("no key without --print-key").isEmpty();
		String key = encryptionKey(pair.associationId());
		assertThat(capture.err()).doesNotContain(key).contains("Uploading through a resumable upload", "Captured");
		JsonNode association = this.admin.association(pair.associationId());
		assertThat(association.path("state").asString()).isEqualTo("CAPTURED");
		assertThat(association.path("storeSizeBytes").asLong()).isEqualTo(Files.size(captured));
		assertThat(association.path("storeSha256").asString()).isEqualTo(sha256Hex(captured));

		Path restored = this.work.resolve("restored").resolve("USMT.MIG");
		Files.createDirectories(restored.getParent());
		Run restore = client("restore", restored.toString(), "--print-key", "--identity",
				destinationIdentity.toString());

		assertThat(restore.exit()).as(restore.err()).isZero();
		assertThat(restore.out()).isEqualTo(key + System.lineSeparator());
		assertThat(restore.err()).doesNotContain(key);
		assertThat(Files.mismatch(captured, restored)).isEqualTo(-1);
		assertThat(state(pair.associationId())).isEqualTo("RESTORED");
		try (var files = Files.list(restored.getParent())) {
			assertThat(files).as("no partial file left").containsExactly(restored);
		}
	}

	@Test
	void capturesInOneStreamedRequestWhenAskedTo() throws Exception {
		Pair pair = pair();
		Path data = randomFile("one-request.mig", 1024 * 1024 + 1);

		Run capture = client("capture", data.toString(), "--upload", "put", "--identity",
				enrolled(pair.source()).toString());

		assertThat(capture.exit()).as(capture.err()).isZero();
		assertThat(capture.err()).contains("Uploading in one request");
		assertThat(this.admin.association(pair.associationId()).path("storeSha256").asString())
			.isEqualTo(sha256Hex(data));
		assertThat(restoredBy(pair)).hasSameBinaryContentAs(data);
	}

	@Test
	void capturePrintsTheKeyAloneBeforeTheUserStateToolRuns() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		Path keyFile = this.work.resolve("smp.key");

		Run run = client("capture", "--print-key", "--key-file", keyFile.toString(), "--identity", identity.toString());

		assertThat(run.exit()).as(run.err()).isZero();
		String key = encryptionKey(pair.associationId());
		assertThat(run.out()).isEqualTo(key + System.lineSeparator());
		assertThat(Files.readString(keyFile)).isEqualTo(key);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
		assertThat(state(pair.associationId())).isEqualTo("CAPTURING");
	}

	@Test
	void statusShowsTheComputersOwnAssociationsOnly() throws Exception {
		Pair pair = pair();
		Pair other = pair();
		Path identity = enrolled(pair.destination());

		Run text = client("status", "--identity", identity.toString());
		assertThat(text.exit()).as(text.err()).isZero();
		assertThat(text.out()).contains(pair.associationId(), "DESTINATION", "CREATED")
			.doesNotContain(other.associationId());

		Run json = client("status", "--json", "--identity", identity.toString());
		JsonNode status = JsonMapper.builder().build().readTree(json.out());
		assertThat(status.path("computer").asString()).isEqualTo(pair.destination());
		assertThat(status.path("associations")).hasSize(1);
		assertThat(status.path("associations").get(0).path("id").asString()).isEqualTo(pair.associationId());
		assertThat(status.path("associations").get(0).has("encryptionKey")).isFalse();
	}

	@Test
	void statusOfAComputerWithoutAssociationEndsWithExitCode3() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		assertThat(this.admin.delete("/api/v1/associations/" + pair.associationId()).status()).isEqualTo(204);

		Run run = client("status", "--identity", identity.toString());

		assertThat(run.exit()).isEqualTo(ExitCodes.NO_ASSOCIATION);
		assertThat(run.out()).contains("No association");
	}

	@Test
	void captureByADestinationOnlyComputerEndsWithExitCode3() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.destination());

		Run run = client("capture", randomFile("data.mig", 1000).toString(), "--identity", identity.toString());

		assertThat(run.exit()).isEqualTo(ExitCodes.NO_ASSOCIATION);
		assertThat(run.err()).contains("no-association");
		assertThat(state(pair.associationId())).isEqualTo("CREATED");
	}

	@Test
	void restoreByASourceOnlyComputerEndsWithExitCode3() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());

		Run run = client("restore", this.work.resolve("out.mig").toString(), "--identity", identity.toString());

		assertThat(run.exit()).isEqualTo(ExitCodes.NO_ASSOCIATION);
	}

	/**
	 * A capture for an association that takes none is refused before the file is read: the server is asked first,
	 * and its refusal names the state. The file is a sparse one of 64 GiB, which a client that hashed first would
	 * still be reading when the time is up (and it would have written its first "Hashing" line already).
	 */
	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void aCaptureTheAssociationsStateRefusesEndsBeforeTheFileIsRead() throws Exception {
		Pair pair = pair();
		captured(pair, 1000);
		restoredBy(pair);
		Path identity = this.work.resolve("identity-" + pair.source());
		assertThat(state(pair.associationId())).isEqualTo("RESTORED");
		Path large = this.work.resolve("large.mig");
		try (RandomAccessFile file = new RandomAccessFile(large.toFile(), "rw")) {
			file.setLength(64L * 1024 * 1024 * 1024);
		}

		long started = System.nanoTime();
		Run run = client("capture", large.toString(), "--identity", identity.toString());
		Duration took = Duration.ofNanos(System.nanoTime() - started);

		assertThat(run.exit()).as(run.err()).isEqualTo(ExitCodes.REFUSED);
		assertThat(run.err()).contains("invalid-state", "Association " + pair.associationId() + " is RESTORED",
				"a capture needs one that is CREATED, CAPTURING or CAPTURED: an operator creates a new association")
			.doesNotContain("Hashing");
		assertThat(took).isLessThan(Duration.ofSeconds(30));
		assertThat(state(pair.associationId())).isEqualTo("RESTORED");
	}

	@Test
	void captureInRestoreOnlyModeIsRefusedWithExitCode4() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		assertThat(this.admin.patch("/api/v1/settings", Map.of("restoreOnlyMode", true)).status()).isEqualTo(200);
		try {
			Run run = client("capture", randomFile("data.mig", 1000).toString(), "--identity", identity.toString(),
					"--retry-delay", "PT0.1S");

			assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED);
			assertThat(run.err()).contains("restore-only-mode").doesNotContain("trying again");
		}
		finally {
			this.admin.patch("/api/v1/settings", Map.of("restoreOnlyMode", false));
		}
		assertThat(state(pair.associationId())).isEqualTo("CREATED");
	}

	@Test
	void aBlockedCertificateIsRefusedWithExitCode4() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		String serial = this.admin.get("/api/v1/computers/" + pair.source())
			.json()
			.path("certificates")
			.get(0)
			.path("serial")
			.asString();
		assertThat(this.admin.post("/api/v1/certificates/" + serial + "/block", Map.of("reason", "laptop stolen"))
			.status()).isEqualTo(200);

		Run run = client("capture", randomFile("data.mig", 1000).toString(), "--identity", identity.toString());

		assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED);
		assertThat(run.err()).contains("certificate-blocked");
	}

	@Test
	void restoreBeforeAnyCaptureIsRefusedWithExitCode4() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.destination());

		Run run = client("restore", this.work.resolve("out.mig").toString(), "--identity", identity.toString());

		assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED);
		assertThat(run.err()).contains("no-state-store");
	}

	@Test
	void anUnreachableServerEndsWithExitCode5AfterTheRetries() throws Exception {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		Run run = client("enroll", "--server", "https://localhost:" + closedPort, "--code", "AAAAA-BBBBB-CCCCC-DDDDD",
				"--fingerprint", serverFingerprint(), "--identity", this.work.resolve("identity").toString(),
				"--retries", "2", "--retry-delay", "PT0.1S");

		assertThat(run.exit()).isEqualTo(ExitCodes.NETWORK);
		assertThat(run.err()).contains("trying again in 100 ms (1 more try)").contains("failed after 2 tries");
	}

	@Test
	void aRestoreInterruptedByTheNetworkResumesWhereItStopped() throws Exception {
		Pair pair = pair();
		Path data = captured(pair, 4 * 1024 * 1024 + 17);
		try (InterruptingProxy proxy = InterruptingProxy.to(this.port)) {
			Path identity = enrolled(pair.destination(), proxy.uri().toString());
			proxy.resetCount();
			proxy.cutOnceAfter(1024 * 1024);
			Path restored = this.work.resolve("restored.mig");

			Run run = client("restore", restored.toString(), "--identity", identity.toString(), "--retry-delay",
					"PT0.1S");

			assertThat(run.exit()).as(run.err()).isZero();
			assertThat(run.err()).contains("Downloading failed");
			assertThat(Files.mismatch(data, restored)).isEqualTo(-1);
			assertThat(proxy.bytesToClient()).as("resumed rather than downloaded again")
				.isLessThan(Files.size(data) + 512 * 1024);
		}
		assertThat(state(pair.associationId())).isEqualTo("RESTORED");
	}

	@Test
	@Timeout(120)
	void aRestoreWhoseConnectionStallsIsTriedAgainFromWhereItStopped() throws Exception {
		Pair pair = pair();
		Path data = captured(pair, 3 * 1024 * 1024);
		try (InterruptingProxy proxy = InterruptingProxy.to(this.port)) {
			Path identity = enrolled(pair.destination(), proxy.uri().toString());
			proxy.stallOnceAfter(1024 * 1024);
			Path restored = this.work.resolve("restored.mig");

			Run run = client("restore", restored.toString(), "--identity", identity.toString(), "--stall-timeout",
					"PT1S", "--retry-delay", "PT0.1S");

			assertThat(run.exit()).as(run.err()).isZero();
			assertThat(run.err()).contains("the download stalled");
			assertThat(Files.mismatch(data, restored)).isEqualTo(-1);
		}
	}

	@Test
	void aRestoreThatGaveUpIsResumedByTheNextRun() throws Exception {
		Pair pair = pair();
		Path data = captured(pair, 4 * 1024 * 1024);
		try (InterruptingProxy proxy = InterruptingProxy.to(this.port)) {
			Path identity = enrolled(pair.destination(), proxy.uri().toString());
			Path restored = this.work.resolve("restored.mig");
			proxy.cutOnceAfter(2 * 1024 * 1024);

			Run first = client("restore", restored.toString(), "--identity", identity.toString(), "--retries", "1");

			assertThat(first.exit()).as(first.err()).isEqualTo(ExitCodes.NETWORK);
			assertThat(restored).doesNotExist();
			Path partial = partialFile(restored, data);
			assertThat(Files.size(partial)).isBetween(1L, Files.size(data) - 1);
			assertThat(state(pair.associationId())).isEqualTo("RESTORING");

			proxy.resetCount();
			Run second = client("restore", restored.toString(), "--identity", identity.toString());

			assertThat(second.exit()).as(second.err()).isZero();
			assertThat(Files.mismatch(data, restored)).isEqualTo(-1);
			assertThat(proxy.bytesToClient()).as("only the rest was downloaded").isLessThan(Files.size(data) - 512 * 1024);
			assertThat(partial).doesNotExist();
		}
		assertThat(state(pair.associationId())).isEqualTo("RESTORED");
	}

	@Test
	void aDownloadThatDoesNotMatchTheStoresDigestEndsWithExitCode6AndIsDiscarded() throws Exception {
		Pair pair = pair();
		Path data = captured(pair, 2 * 1024 * 1024);
		Path identity = enrolled(pair.destination());
		Path restored = this.work.resolve("restored.mig");
		Path partial = partialFile(restored, data);
		Files.write(partial, new byte[1024 * 1024]);

		Run damaged = client("restore", restored.toString(), "--identity", identity.toString(), "--print-key");

		assertThat(damaged.exit()).isEqualTo(ExitCodes.INTEGRITY);
		assertThat(damaged.out()).as("no key for a failed restore").isEmpty();
		assertThat(damaged.err()).contains("does not match");
		assertThat(restored).doesNotExist();
		assertThat(partial).doesNotExist();
		assertThat(state(pair.associationId())).isEqualTo("RESTORING");

		Run again = client("restore", restored.toString(), "--identity", identity.toString());
		assertThat(again.exit()).as(again.err()).isZero();
		assertThat(Files.mismatch(data, restored)).isEqualTo(-1);
	}

	@Test
	void aCaptureInterruptedByTheNetworkResumesAtTheServersOffset() throws Exception {
		Pair pair = pair();
		Path data = randomFile("USMT.MIG", 4 * 1024 * 1024 + 5);
		try (InterruptingProxy proxy = InterruptingProxy.to(this.port)) {
			Path identity = enrolled(pair.source(), proxy.uri().toString());
			proxy.resetCount();
			proxy.cutUploadOnceAfter(2 * 1024 * 1024 + 300 * 1024);

			Run run = client("capture", data.toString(), "--identity", identity.toString(), "--chunk-size", "1048576",
					"--retry-delay", "PT0.1S");

			assertThat(run.exit()).as(run.err()).isZero();
			assertThat(run.err()).contains("Uploading failed");
			assertThat(proxy.bytesToServer()).as("resumed rather than sent again")
				.isLessThan(Files.size(data) + 1536 * 1024);
		}
		JsonNode association = this.admin.association(pair.associationId());
		assertThat(association.path("state").asString()).isEqualTo("CAPTURED");
		assertThat(association.path("storeSha256").asString()).isEqualTo(sha256Hex(data));
		assertThat(restoredBy(pair)).hasSameBinaryContentAs(data);
	}

	@Test
	void aCaptureWhoseTokenExpiresWhileItWaitsToTryAgainGetsANewTokenAndGoesOn() throws Exception {
		Pair pair = pair();
		Path data = randomFile("USMT.MIG", 3 * 1024 * 1024 + 7);
		try (InterruptingProxy proxy = InterruptingProxy.to(this.port)) {
			Path identity = enrolled(pair.source(), proxy.uri().toString());
			assertThat(this.admin.patch("/api/v1/settings", Map.of("tokenTtl", "PT5S")).status()).isEqualTo(200);
			try {
				proxy.cutUploadOnceAfter(1024 * 1024 + 300 * 1024);

				Run run = client("capture", data.toString(), "--identity", identity.toString(), "--chunk-size",
						"1048576", "--retry-delay", "PT6S");

				assertThat(run.exit()).as(run.err()).isZero();
				assertThat(run.err()).contains("Uploading failed", "The server refused the token; asking for a new one");
			}
			finally {
				this.admin.patch("/api/v1/settings", Map.of("tokenTtl", "PT4H"));
			}
		}
		assertThat(this.admin.association(pair.associationId()).path("storeSha256").asString())
			.isEqualTo(sha256Hex(data));
		assertThat(state(pair.associationId())).isEqualTo("CAPTURED");
	}

	@Test
	void aCaptureThatGaveUpIsResumedByTheNextRunOfTheSameFile() throws Exception {
		Pair pair = pair();
		Path data = randomFile("USMT.MIG", 4 * 1024 * 1024 + 6);
		try (InterruptingProxy proxy = InterruptingProxy.to(this.port)) {
			Path identity = enrolled(pair.source(), proxy.uri().toString());
			proxy.cutUploadOnceAfter(3 * 1024 * 1024);

			Run first = client("capture", data.toString(), "--identity", identity.toString(), "--chunk-size", "1048576",
					"--retries", "1");

			assertThat(first.exit()).as(first.err()).isEqualTo(ExitCodes.NETWORK);
			assertThat(identity.resolve("upload.properties")).exists();
			assertThat(state(pair.associationId())).isEqualTo("CAPTURING");

			proxy.resetCount();
			Run second = client("capture", data.toString(), "--identity", identity.toString(), "--chunk-size",
					"1048576");

			assertThat(second.exit()).as(second.err()).isZero();
			assertThat(second.err()).contains("Resuming the resumable upload started earlier");
			assertThat(proxy.bytesToServer()).as("only the rest was sent").isLessThan(Files.size(data) - 1024 * 1024);
			assertThat(identity.resolve("upload.properties")).doesNotExist();
		}
		assertThat(this.admin.association(pair.associationId()).path("storeSha256").asString())
			.isEqualTo(sha256Hex(data));
		assertThat(restoredBy(pair)).hasSameBinaryContentAs(data);
	}

	@Test
	void aCaptureWhoseReleaseAnswerWasLostEndsWithSuccessOnceTheStatusShowsItCaptured() throws Exception {
		Pair pair = pair();
		Path data = randomFile("USMT.MIG", 1024 * 1024 + 3);

		LostAnswers.loseNextAnswerTo(RELEASE);
		Run run = client("capture", data.toString(), "--identity", enrolled(pair.source()).toString(),
				"--retry-delay", "PT0.1S");

		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.err()).contains("Releasing the state store failed", "token-invalid",
				"but the server had released the store already", "is CAPTURED as expected");
		JsonNode association = this.admin.association(pair.associationId());
		assertThat(association.path("state").asString()).isEqualTo("CAPTURED");
		assertThat(association.path("storeSha256").asString()).isEqualTo(sha256Hex(data));
	}

	@Test
	void aRestoreWhoseReleaseAnswerWasLostEndsWithSuccessAndHandsOutTheKey() throws Exception {
		Pair pair = pair();
		Path data = captured(pair, 1024 * 1024 + 5);
		Path restored = this.work.resolve("restored.mig");

		LostAnswers.loseNextAnswerTo(RELEASE);
		Run run = client("restore", restored.toString(), "--print-key", "--identity",
				enrolled(pair.destination()).toString(), "--retry-delay", "PT0.1S");

		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.err()).contains("but the server had released the store already", "is RESTORED as expected");
		assertThat(run.out()).isEqualTo(encryptionKey(pair.associationId()) + System.lineSeparator());
		assertThat(Files.mismatch(data, restored)).isEqualTo(-1);
		assertThat(state(pair.associationId())).isEqualTo("RESTORED");
	}

	@Test
	void aReleaseRefusedOnItsRetryWhileTheStatusDoesNotShowItDoneEndsWithExitCode4() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		Path data = randomFile("USMT.MIG", 1000);
		LostAnswers.loseNextAnswerTo(RELEASE);
		CompletableFuture<Run> running = CompletableFuture.supplyAsync(() -> client("capture", data.toString(),
				"--identity", identity.toString(), "--retry-delay", "PT3S"));
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (!state(pair.associationId()).equals("CAPTURED") && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(this.admin.delete("/api/v1/associations/" + pair.associationId() + "?force=true").status())
			.isEqualTo(204);

		Run run = running.get(60, TimeUnit.SECONDS);

		assertThat(run.exit()).as(run.err()).isEqualTo(ExitCodes.REFUSED);
		assertThat(run.err()).contains("token-invalid").doesNotContain("released the store already");
	}

	@Test
	void renewGivesANewKeyAndALaterCertificateWhileThePreviousOneKeepsWorking() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		Path previous = this.work.resolve("previous-identity");
		Files.createDirectories(previous);
		for (String file : new String[] { "client.key", "client.crt", "ca.crt", "server.properties" }) {
			Files.copy(identity.resolve(file), previous.resolve(file));
		}
		X509Certificate before = certificate(identity);
		Thread.sleep(1100);

		Run run = client("renew", "--identity", identity.toString());

		assertThat(run.exit()).as(run.err()).isZero();
		assertThat(run.err()).contains("Renewed the certificate of " + pair.source());
		X509Certificate after = certificate(identity);
		assertThat(after.getSerialNumber()).isNotEqualTo(before.getSerialNumber());
		assertThat(after.getNotAfter()).isAfter(before.getNotAfter());
		assertThat(after.getPublicKey()).as("a new key pair").isNotEqualTo(before.getPublicKey());
		assertThat(Files.readString(identity.resolve("client.key")))
			.isNotEqualTo(Files.readString(previous.resolve("client.key")));
		assertOwnerOnlyIdentity(identity);
		assertThat(this.admin.get("/api/v1/computers/" + pair.source()).json().path("certificates")).hasSize(2);
		Run renewed = client("capture", randomFile("USMT.MIG", 1000).toString(), "--identity", identity.toString());
		assertThat(renewed.exit()).as(renewed.err()).isZero();
		Run old = client("status", "--identity", previous.toString());
		assertThat(old.exit()).as("the previous certificate works until it expires: %s", old.err()).isZero();
	}

	@Test
	void commandsRenewTheCertificateOnlyWhenItExpiresWithinTheThreshold() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		X509Certificate enrolled = certificate(identity);
		Files.writeString(identity.resolve("client.key.renewed"), "left by a renewal that never finished");

		Run fresh = client("status", "--identity", identity.toString());

		assertThat(fresh.exit()).as(fresh.err()).isZero();
		assertThat(fresh.err()).doesNotContain("renew");
		assertThat(certificate(identity).getSerialNumber()).isEqualTo(enrolled.getSerialNumber());
		assertThat(identity.resolve("client.key.renewed")).as("an uncommitted renewal is dropped").doesNotExist();

		Run due = client("status", "--renew-before", "P60D", "--identity", identity.toString());

		assertThat(due.exit()).as(due.err()).isZero();
		assertThat(due.err()).contains("within PT1440H: renewing it", "Renewed the certificate");
		X509Certificate renewed = certificate(identity);
		assertThat(renewed.getSerialNumber()).isNotEqualTo(enrolled.getSerialNumber());
		assertThat(due.out()).contains("certificate valid until " + renewed.getNotAfter().toInstant());
		assertOwnerOnlyIdentity(identity);

		Run capture = client("capture", randomFile("USMT.MIG", 1000).toString(), "--renew-before", "P60D",
				"--identity", identity.toString());
		assertThat(capture.exit()).as(capture.err()).isZero();
		assertThat(capture.err()).contains("Renewed the certificate");
		assertThat(certificate(identity).getSerialNumber()).isNotEqualTo(renewed.getSerialNumber());
	}

	@Test
	void anExpiredCertificateCannotRenewAndEndsWithExitCode4() throws Exception {
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair keyPair = generator.generateKeyPair();
		Instant now = Instant.now();
		X500Name name = new X500Name("CN=" + pair.source());
		X509Certificate expired = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
				name, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(31))), Date.from(now.minusSeconds(60)),
				name, keyPair.getPublic())
			.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
		Files.writeString(identity.resolve("client.crt"), "-----BEGIN CERTIFICATE-----\n"
				+ Base64.getMimeEncoder().encodeToString(expired.getEncoded()) + "\n-----END CERTIFICATE-----\n");
		Files.writeString(identity.resolve("client.key"), "-----BEGIN PRIVATE KEY-----\n"
				+ Base64.getMimeEncoder().encodeToString(keyPair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");

		for (String command : new String[] { "renew", "status" }) {
			Run run = client(command, "--identity", identity.toString(), "--retries", "1");

			assertThat(run.exit()).as(command + ": " + run.err()).isEqualTo(ExitCodes.REFUSED);
			assertThat(run.err()).contains("certificate expired at", "cannot be renewed", "enroll again");
		}
		assertThat(this.admin.get("/api/v1/computers/" + pair.source()).json().path("certificates")).hasSize(1);
	}

	private static X509Certificate certificate(Path identity) throws Exception {
		try (var in = Files.newInputStream(identity.resolve("client.crt"))) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
	}

	private static void assertOwnerOnlyIdentity(Path identity) throws Exception {
		try (var files = Files.list(identity)) {
			assertThat(files.map((p) -> p.getFileName().toString())).as("no renewal left half done")
				.containsExactlyInAnyOrder("client.key", "client.crt", "ca.crt", "server.properties");
		}
		for (String file : new String[] { "client.key", "client.crt", "ca.crt", "server.properties" }) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity.resolve(file))))
				.as(file)
				.isEqualTo("rw-------");
		}
	}

	/** Restores the pair's store through the client and returns the file. */
	private Path restoredBy(Pair pair) throws Exception {
		Path restored = this.work.resolve("restored-" + pair.associationId() + ".mig");
		Run restore = client("restore", restored.toString(), "--identity", enrolled(pair.destination()).toString());
		assertThat(restore.exit()).as(restore.err()).isZero();
		return restored;
	}

	/** Captures a new file of the size for the pair's source, through the client. */
	private Path captured(Pair pair, int size) throws Exception {
		Path data = randomFile("captured-" + size + ".mig", size);
		Run capture = client("capture", data.toString(), "--identity", enrolled(pair.source()).toString());
		assertThat(capture.exit()).as(capture.err()).isZero();
		return data;
	}

	/** Where restore keeps a download of this data until it is complete and verified. */
	private static Path partialFile(Path target, Path data) throws Exception {
		return target.resolveSibling("." + target.getFileName() + "." + sha256Hex(data).substring(0, 16) + ".part");
	}

	@Test
	void usageErrorsEndWithExitCode2() throws Exception {
		Run noCommand = client();
		assertThat(noCommand.exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(noCommand.err()).contains("Missing command: enroll, capture, restore, status or renew");
		assertThat(client("transfer").exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(client("enroll", "--code", "X").exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(client("enroll", "--server", "http://localhost:8443", "--code", "X", "--identity",
				this.work.resolve("a").toString()).exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(client("enroll", "--server", serverUrl(), "--code", "X", "--fingerprint", "12:34", "--identity",
				this.work.resolve("b").toString()).exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(client("capture", "--retries", "many").exit()).isEqualTo(ExitCodes.USAGE);
		Run notEnrolled = client("status", "--identity", this.work.resolve("nowhere").toString());
		assertThat(notEnrolled.exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(notEnrolled.err()).contains("enroll this computer first");
		Pair pair = pair();
		Path identity = enrolled(pair.source());
		assertThat(client("capture", this.work.resolve("missing.mig").toString(), "--identity", identity.toString())
			.exit()).isEqualTo(ExitCodes.USAGE);
		assertThat(client("capture", "--identity", identity.toString()).exit()).isEqualTo(ExitCodes.USAGE);
	}

	@Test
	void everyCommandExplainsItselfWithHelp() {
		for (String command : new String[] { "enroll", "capture", "restore", "status", "renew" }) {
			Run run = client(command, "--help");
			assertThat(run.exit()).isZero();
			assertThat(run.out()).contains("Usage: smp " + command, "Examples", "Exit codes");
		}
		assertThat(client("--help").out()).contains("enroll", "capture", "restore", "status", "renew", "6  integrity");
	}

}
