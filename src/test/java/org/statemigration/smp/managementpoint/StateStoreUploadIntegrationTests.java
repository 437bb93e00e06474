package org.statemigration.smp.managementpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads that must not store anything: over quota (declared and discovered while streaming), a digest that does
 * not match, a body shorter than declared. The test servers run with a 32 MB quota.
 */
@IntegrationTest
@OnBothDatabases
class StateStoreUploadIntegrationTests extends ManagementPointTestSupport {

	private static final long QUOTA = 32L * 1024 * 1024;

	@Test
	void rejectsUploadOverQuotaFromContentLengthBeforeReadingTheBody() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		String answer = pair.source().sendHeadOnly("PUT", capture.storeUrl(),
				Map.of("Authorization", "Bearer " + capture.token(), "Content-Length", String.valueOf(QUOTA + 1),
						"Expect", "100-continue"));
		assertThat(answer).startsWith("HTTP/1.1 413").doesNotContain("100 Continue").contains("urn:smp:problem:quota-exceeded");
		assertNothingStored(pair);
	}

	@Test
	void rejectsChunkedUploadOverQuotaWhileStreaming() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response response = pair.source().upload(capture.storeUrl(), capture.token(),
				() -> new CountingStream(QUOTA + 4 * 1024 * 1024), -1, null);
		assertThat(response.status()).isEqualTo(413);
		assertThat(response.problem()).isEqualTo("quota-exceeded");
		assertNothingStored(pair);
	}

	@Test
	void rejectsUploadWhoseDigestDiffers() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(100_000);
		Response response = pair.source().upload(capture.storeUrl(), capture.token(), data,
				reprDigest(randomBytes(10)));
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.problem()).isEqualTo("digest-mismatch");
		assertNothingStored(pair);
	}

	@Test
	void rejectsMalformedReprDigest() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response response = pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], "sha-256=abc");
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.problem()).isEqualTo("validation");
	}

	@Test
	void refusesAReprDigestWithOnlyAlgorithmsTheServerCannotCheck() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		for (String header : new String[] { "md5=:AAAAAAAAAAAAAAAAAAAAAA==:", "sha=:AAAAAAAAAAAAAAAAAAAAAAAAAAA=:" }) {
			Response response = pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], header);
			assertThat(response.status()).as(header).isEqualTo(400);
			assertThat(response.problem()).isEqualTo("validation");
		}
		assertNothingStored(pair);
	}

	@Test
	void verifiesASha512ReprDigest() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] data = randomBytes(5000);
		String wrong = "sha-512=:" + Base64.getEncoder().encodeToString(new byte[64]) + ":";
		Response refused = pair.source().upload(capture.storeUrl(), capture.token(), data, wrong);
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.problem()).isEqualTo("digest-mismatch");
		assertNothingStored(pair);

		String right = "sha-512=:"
				+ Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(data)) + ":";
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), data, right).status()).isEqualTo(201);
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), data, reprDigest(data) + ", " + wrong)
			.problem()).isEqualTo("digest-mismatch");
	}

	@Test
	void keepsThePreviousVersionWhenAReplacementFails() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		byte[] first = randomBytes(3000);
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), first, reprDigest(first)).status())
			.isEqualTo(201);
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), randomBytes(4000), reprDigest(first))
			.problem()).isEqualTo("digest-mismatch");
		pair.source().release(capture.token(), true);
		Grant restore = pair.destination().request("RESTORE");
		assertThat(pair.destination().download(restore.storeUrl(), restore.token(), null).body()).isEqualTo(first);
	}

	@Test
	void rangeOutsideTheStoreIsNotSatisfiable() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		pair.source().upload(capture.storeUrl(), capture.token(), randomBytes(1000), null);
		pair.source().release(capture.token(), true);
		Grant restore = pair.destination().request("RESTORE");
		HttpResponse<byte[]> response = pair.destination().download(restore.storeUrl(), restore.token(), "bytes=1000-");
		assertThat(response.statusCode()).isEqualTo(416);
		assertThat(response.headers().firstValue("Content-Range")).contains("bytes */1000");
	}

	@Test
	void noPlaintextOfAStoredBlobAppearsUnderTheDataDir() throws IOException {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		byte[] marker = "SMP-PLAINTEXT-MARKER-7f3a9c".getBytes();
		byte[] data = new byte[3 * 1024 * 1024];
		for (int i = 0; i + marker.length <= data.length; i += marker.length) {
			System.arraycopy(marker, 0, data, i, marker.length);
		}
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		pair.source().release(capture.token(), true);
		try (Stream<Path> files = Files.walk(this.server.dataDir())) {
			files.filter(Files::isRegularFile).forEach((file) -> {
				assertThat(contains(file, marker)).as("plaintext in %s", file).isFalse();
				assertThat(contains(file, capture.encryptionKey().getBytes())).as("encryption key in %s", file).isFalse();
			});
		}
	}

	private static boolean contains(Path file, byte[] needle) {
		try (InputStream in = Files.newInputStream(file)) {
			byte[] window = new byte[1 << 20];
			int carry = 0;
			int read;
			while ((read = in.read(window, carry, window.length - carry)) != -1) {
				int end = carry + read;
				for (int i = 0; i + needle.length <= end; i++) {
					if (matches(window, i, needle)) {
						return true;
					}
				}
				carry = Math.min(needle.length - 1, end);
				System.arraycopy(window, end - carry, window, 0, carry);
			}
			return false;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean matches(byte[] window, int offset, byte[] needle) {
		for (int j = 0; j < needle.length; j++) {
			if (window[offset + j] != needle[j]) {
				return false;
			}
		}
		return true;
	}

	void assertNothingStored(Pair pair) {
		assertThat(this.admin.association(pair.associationId()).path("storeSizeBytes").isNull()).isTrue();
		Path directory = this.server.dataDir().resolve("stores").resolve(pair.associationId());
		if (Files.exists(directory)) {
			try (Stream<Path> files = Files.list(directory)) {
				assertThat(files.toList()).isEmpty();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/** An endless-looking body that counts what the client actually sent. */
	static final class CountingStream extends InputStream {

		private final long size;

		volatile long sent;

		CountingStream(long size) {
			this.size = size;
		}

		@Override
		public int read() {
			return (this.sent < this.size) ? (int) (this.sent++ & 0x7f) : -1;
		}

		@Override
		public int read(byte[] b, int off, int len) {
			if (this.sent >= this.size) {
				return -1;
			}
			int n = (int) Math.min(len, this.size - this.sent);
			this.sent += n;
			return n;
		}

	}

}
