package org.statemigration.smp.managementpoint;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Value;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole journey of a user state, as real clients make it over mutual TLS: enrollment of both computers,
 * request, upload, release, restore with and without ranges, release, and the association's states along the way.
 * Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class CaptureAndRestoreIntegrationTests extends ManagementPointTestSupport {

	@Autowired
	private TransferSlots slots;

	@Test
	void capturesAndRestoresAUserStateEndToEnd() throws Exception {
		Pair pair = newPair("CAPTURE_SPECIFIED_RESTORE_SPECIFIED", "CONTOSO\\alice");
		byte[] data = randomBytes(3 * 1024 * 1024 + 12345);

		Grant capture = pair.source().request("CAPTURE");
		assertThat(capture.associationId()).isEqualTo(pair.associationId());
		assertThat(capture.encryptionKey()).hasSize(64);
		assertThat(capture.json().path("keyAlgorithm").asString()).isEqualTo("AES_256");
		assertThat(capture.json().path("userAccounts").path("accounts").get(0).asString()).isEqualTo("CONTOSO\\alice");
		assertThat(capture.storeUrl()).isEqualTo(this.server.uri("/api/v1/stores/" + pair.associationId()).toString());
		assertThat(state(pair)).isEqualTo("CAPTURING");

		Response stored = pair.source().upload(capture.storeUrl(), capture.token(), data, reprDigest(data));
		assertThat(stored.status()).isEqualTo(201);
		assertThat(stored.json().path("sizeBytes").asLong()).isEqualTo(data.length);
		assertThat(stored.json().path("sha256").asString()).isEqualTo(sha256Hex(data));

		Response released = pair.source().release(capture.token(), true);
		assertThat(released.status()).isEqualTo(200);
		assertThat(state(pair)).isEqualTo("CAPTURED");
		assertThat(this.admin.association(pair.associationId()).path("storeSizeBytes").asLong()).isEqualTo(data.length);
		assertThat(this.admin.association(pair.associationId()).path("storeSha256").asString()).isEqualTo(sha256Hex(data));

		Grant restore = pair.destination().request("RESTORE");
		assertThat(restore.encryptionKey()).isEqualTo(capture.encryptionKey());
		assertThat(state(pair)).isEqualTo("RESTORING");

		HttpResponse<byte[]> whole = pair.destination().download(restore.storeUrl(), restore.token(), null);
		assertThat(whole.statusCode()).isEqualTo(200);
		assertThat(whole.body()).isEqualTo(data);
		assertThat(whole.headers().firstValue("Repr-Digest")).contains(reprDigest(data));
		assertThat(whole.headers().firstValue("ETag")).isPresent();

		HttpResponse<byte[]> middle = pair.destination().download(restore.storeUrl(), restore.token(),
				"bytes=1048570-2097160");
		assertThat(middle.statusCode()).isEqualTo(206);
		assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(data, 1048570, 2097161));
		assertThat(middle.headers().firstValue("Content-Range")).contains("bytes 1048570-2097160/" + data.length);

		HttpResponse<byte[]> tail = pair.destination().download(restore.storeUrl(), restore.token(), "bytes=-100");
		assertThat(tail.statusCode()).isEqualTo(206);
		assertThat(tail.body()).isEqualTo(Arrays.copyOfRange(data, data.length - 100, data.length));

		HttpResponse<byte[]> resumed = pair.destination().download(restore.storeUrl(), restore.token(), "bytes=3000000-");
		assertThat(resumed.body()).isEqualTo(Arrays.copyOfRange(data, 3000000, data.length));

		Response head = pair.destination().head(restore.storeUrl(), restore.token());
		assertThat(head.status()).isEqualTo(200);
		assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(data.length));
		assertThat(head.header("Repr-Digest")).isEqualTo(reprDigest(data));

		Response restored = pair.destination().release(restore.token(), true);
		assertThat(restored.status()).isEqualTo(200);
		assertThat(restored.json().path("state").asString()).isEqualTo("RESTORED");
		var association = this.admin.association(pair.associationId());
		assertThat(association.path("state").asString()).isEqualTo("RESTORED");
		assertThat(association.path("restoredAt").isNull()).isFalse();
		assertThat(association.path("deleteAt").isNull()).isFalse();
	}

	@Test
	void aDownloadRefusedForWantOfATransferSlotIsAProblemOfItsOwnLength() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		byte[] data = randomBytes(1024 * 1024);
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		pair.source().release(capture.token(), true);
		Grant restore = pair.destination().request("RESTORE");
		List<TransferSlots.Slot> taken = new ArrayList<>();
		try {
			while (taken.size() < this.slots.limit()) {
				taken.add(this.slots.capture(UUID.randomUUID()));
			}
			HttpResponse<byte[]> refused = pair.destination().download(restore.storeUrl(), restore.token(), null);
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).isPresent();
			assertThat(new String(refused.body(), StandardCharsets.UTF_8)).contains("urn:smp:problem:server-busy");
			// the problem's own length, if any: never the store's (the client would wait for a body that is not sent)
			refused.headers()
				.firstValue("Content-Length")
				.ifPresent((length) -> assertThat(Long.parseLong(length)).isEqualTo(refused.body().length));
			assertThat(refused.headers().firstValue("Repr-Digest")).isEmpty();
		}
		finally {
			taken.forEach(TransferSlots.Slot::close);
		}
		assertThat(pair.destination().download(restore.storeUrl(), restore.token(), null).body()).isEqualTo(data);
	}

	@Test
	void recaptureReplacesThePreviousDataAtomically() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		byte[] first = randomBytes(5000);
		byte[] second = randomBytes(7000);
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), first, null).status()).isEqualTo(201);
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), second, null).status()).isEqualTo(201);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);

		Grant restore = pair.destination().request("RESTORE");
		assertThat(pair.destination().download(restore.storeUrl(), restore.token(), null).body()).isEqualTo(second);
	}

	/**
	 * A source of two associations captures for the one not yet captured, and is handed that one's key and user
	 * accounts; the captured one keeps its state and its data.
	 */
	@Test
	void aSourceOfTwoAssociationsCapturesForTheOneNotYetCaptured() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant first = pair.source().request("CAPTURE");
		byte[] data = randomBytes(4000);
		assertThat(pair.source().upload(first.storeUrl(), first.token(), data, null).status()).isEqualTo(201);
		assertThat(pair.source().release(first.token(), true).status()).isEqualTo(200);
		String source = this.admin.association(pair.associationId()).path("sourceComputer").asString();
		String second = this.admin.createAssociation(source, "NEW-PC-" + counter.incrementAndGet(),
				"CAPTURE_ALL_RESTORE_SPECIFIED", "CONTOSO\\bob");

		Grant next = pair.source().request("CAPTURE");

		assertThat(next.associationId()).isEqualTo(second);
		assertThat(next.encryptionKey()).hasSize(64).isNotEqualTo(first.encryptionKey());
		assertThat(next.json().path("userAccounts").path("mode").asString()).isEqualTo("CAPTURE_ALL_RESTORE_SPECIFIED");
		assertThat(next.json().path("userAccounts").path("accounts").get(0).asString()).isEqualTo("CONTOSO\\bob");
		assertThat(this.admin.association(second).path("state").asString()).isEqualTo("CAPTURING");
		assertThat(state(pair)).isEqualTo("CAPTURED");
		Grant restore = pair.destination().request("RESTORE");
		assertThat(pair.destination().download(restore.storeUrl(), restore.token(), null).body()).isEqualTo(data);
	}

	@Test
	void uploadsAChunkedBodyOfUnknownLength() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		byte[] data = randomBytes(2 * 1024 * 1024 + 1);
		Grant capture = pair.source().request("CAPTURE");
		Response stored = pair.source().upload(capture.storeUrl(), capture.token(),
				() -> new java.io.ByteArrayInputStream(data), -1, reprDigest(data));
		assertThat(stored.status()).isEqualTo(201);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		Grant restore = pair.destination().request("RESTORE");
		assertThat(pair.destination().download(restore.storeUrl(), restore.token(), null).body()).isEqualTo(data);
	}

	@Test
	void storesAnEmptyUserState() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), new byte[0], reprDigest(new byte[0])).status())
			.isEqualTo(201);
		pair.source().release(capture.token(), true);
		Grant restore = pair.destination().request("RESTORE");
		HttpResponse<byte[]> download = pair.destination().download(restore.storeUrl(), restore.token(), null);
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.body()).isEmpty();
	}

	@Test
	void restoresAnInPlaceMigrationOnTheSameComputer() {
		String name = "REFRESH-" + counter.incrementAndGet();
		String id = this.admin.createAssociation(name, name, "CAPTURE_ALL_RESTORE_ALL");
		assertThat(this.admin.association(id).path("migrationType").asString()).isEqualTo("IN_PLACE");
		ComputerClient computer = this.server.computer(name);
		assertThat(computer.enroll(this.admin.enrollmentCode(name)).status()).isEqualTo(201);
		byte[] data = randomBytes(1000);
		Grant capture = computer.request("CAPTURE");
		computer.upload(capture.storeUrl(), capture.token(), data, null);
		computer.release(capture.token(), true);
		Grant restore = computer.request("RESTORE");
		assertThat(computer.download(restore.storeUrl(), restore.token(), null).body()).isEqualTo(data);
	}

	@Test
	void aTamperedStoreIsNeverServed() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		byte[] data = randomBytes(3 * 1024 * 1024);
		Grant capture = pair.source().request("CAPTURE");
		pair.source().upload(capture.storeUrl(), capture.token(), data, null);
		pair.source().release(capture.token(), true);
		java.nio.file.Path file;
		try (var files = java.nio.file.Files.list(this.server.dataDir().resolve("stores").resolve(pair.associationId()))) {
			file = files.filter((f) -> f.toString().endsWith(".smp")).findFirst().orElseThrow();
		}
		try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.READ,
				java.nio.file.StandardOpenOption.WRITE)) {
			java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
			long position = 2L * 1024 * 1024 + 100;
			channel.read(one, position);
			one.flip();
			byte flipped = (byte) (one.get(0) ^ 0x01);
			channel.write(java.nio.ByteBuffer.wrap(new byte[] { flipped }), position);
		}
		Grant restore = pair.destination().request("RESTORE");
		HttpResponse<byte[]> download;
		try {
			download = pair.destination().download(restore.storeUrl(), restore.token(), null);
		}
		catch (java.io.UncheckedIOException ex) {
			return; // the connection was cut: the client knows the body is incomplete
		}
		assertThat(download.body()).as("a body that passes as whole").isNotEqualTo(data);
		assertThat(download.statusCode() != 200 || download.body().length < data.length).isTrue();
	}

	@Test
	void failedReleaseLeavesTheStateAndSpendsTheToken() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response failed = pair.source().release(capture.token(), false);
		assertThat(failed.status()).isEqualTo(200);
		assertThat(state(pair)).isEqualTo("CAPTURING");
		assertThat(pair.source().release(capture.token(), true).problem()).isEqualTo("token-invalid");
	}

	@Test
	void releaseOfACaptureWithoutDataIsRefused() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response response = pair.source().release(capture.token(), true);
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.problem()).isEqualTo("invalid-state");
	}

	/**
	 * A restore goes out in whole TLS records (with one TLS record of at most 16 KiB, the records' headers read off
	 * the socket under the TLS client): a write buffer that holds a record and a bit goes out as a full record and a
	 * sliver, which doubles the records, the AES-GCM passes and the client's reads.
	 */
	@Test
	void aRestoreGoesOutInWholeTlsRecords() throws Exception {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		byte[] data = randomBytes(2 * 1024 * 1024);
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), data, null).status()).isEqualTo(201);
		pair.source().release(capture.token(), true);
		Grant restore = pair.destination().request("RESTORE");

		List<Integer> records = new ArrayList<>();
		try (RecordCountingSocket tcp = new RecordCountingSocket(records)) {
			tcp.connect(new InetSocketAddress("127.0.0.1", this.server.port()), 10_000);
			tcp.setSoTimeout(30_000);
			try (SSLSocket tls = (SSLSocket) pair.destination()
				.sslContext()
				.getSocketFactory()
				.createSocket(tcp, "127.0.0.1", this.server.port(), true)) {
				tls.getOutputStream()
					.write(("GET " + URI.create(restore.storeUrl()).getPath() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
							+ "Authorization: Bearer " + restore.token() + "\r\nConnection: close\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
				tls.getOutputStream().flush();
				byte[] answer = tls.getInputStream().readAllBytes();
				assertThat(new String(answer, 0, 13, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200 ");
				assertThat(Arrays.copyOfRange(answer, answer.length - data.length, answer.length)).isEqualTo(data);
			}
		}
		// 2 MiB in records of at most 16 KiB: 128 full ones at least, and only the handshake's, the headers' and the
		// last of the body's may be short
		List<Integer> full = records.stream().filter((length) -> length >= 16 * 1024).toList();
		assertThat(full).hasSizeGreaterThanOrEqualTo(data.length / (16 * 1024));
		assertThat(records.size() - full.size()).as("short records among %s", records).isLessThanOrEqualTo(8);
	}

	/** A plain socket that notes the length of every TLS record it receives, for a TLS socket layered on it. */
	private static final class RecordCountingSocket extends Socket {

		private final List<Integer> lengths;

		RecordCountingSocket(List<Integer> lengths) {
			this.lengths = lengths;
		}

		@Override
		public InputStream getInputStream() throws IOException {
			InputStream in = super.getInputStream();
			return new FilterInputStream(in) {

				/** Bytes of the current record's 5-byte header seen so far, then the bytes of its body left. */
				private int headerSeen;

				private final byte[] header = new byte[5];

				private int bodyLeft;

				@Override
				public int read() throws IOException {
					int b = super.read();
					if (b != -1) {
						note(new byte[] { (byte) b }, 0, 1);
					}
					return b;
				}

				@Override
				public int read(byte[] bytes, int offset, int length) throws IOException {
					int n = super.read(bytes, offset, length);
					if (n > 0) {
						note(bytes, offset, n);
					}
					return n;
				}

				private void note(byte[] bytes, int offset, int length) {
					int i = offset;
					int end = offset + length;
					while (i < end) {
						if (this.bodyLeft > 0) {
							int skipped = Math.min(this.bodyLeft, end - i);
							this.bodyLeft -= skipped;
							i += skipped;
							continue;
						}
						this.header[this.headerSeen++] = bytes[i++];
						if (this.headerSeen == 5) {
							this.bodyLeft = ((this.header[3] & 0xff) << 8) | (this.header[4] & 0xff);
							RecordCountingSocket.this.lengths.add(this.bodyLeft);
							this.headerSeen = 0;
						}
					}
				}

			};
		}

	}

}
