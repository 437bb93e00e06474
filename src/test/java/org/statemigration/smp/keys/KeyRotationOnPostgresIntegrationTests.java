package org.statemigration.smp.keys;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

class KeyRotationOnPostgresIntegrationTests extends KeyRotationTests {

	@Override
	ProcessDatabase openDatabase() {
		return ProcessDatabase.freshPostgres("smp_key_rotation");
	}

	/**
	 * With PostgreSQL the server may keep running through {@code keys rotate} on its data directory: it takes in the
	 * new version from its master key file, restores what was re-wrapped, and an upload in flight during the
	 * rotation completes (the command leaves the running server's uploads alone).
	 */
	@Test
	void aRunningServerKeepsWorkingThroughTheRotation() throws Exception {
		Path dataDir = this.temp.resolve("online");
		byte[] before = randomBytes(1 << 20, 11);
		byte[] during = randomBytes((4 << 20) + 5, 12);
		try (ServerProcess process = ServerProcess.start(dataDir, "256m", this.database.arguments(), true)) {
			TestServer server = process.client();
			captureAndRelease(server, "ONLINE-OLD", "ONLINE-NEW", before);
			ComputerClient destination = enroll(server, "ONLINE-NEW");

			server.admin().createAssociation("INFLIGHT-OLD", "INFLIGHT-NEW", "CAPTURE_ALL_RESTORE_ALL");
			ComputerClient source = enroll(server, "INFLIGHT-OLD");
			Grant capture = source.request("CAPTURE");
			HeldStream body = new HeldStream(during);
			CompletableFuture<Response> upload = CompletableFuture
				.supplyAsync(() -> source.upload(capture.storeUrl(), capture.token(), () -> body, during.length, null));
			assertThat(body.halfSent.await(60, TimeUnit.SECONDS)).as("half the upload sent").isTrue();

			CommandResult rotation = keys(dataDir, "rotate");
			assertThat(rotation.exitCode()).as(rotation.output()).isZero();
			body.held = false;

			assertThat(upload.get(120, TimeUnit.SECONDS).status()).isEqualTo(201);
			assertThat(source.release(capture.token(), true).status()).isEqualTo(200);
			assertThat(restore(server, destination)).isEqualTo(before);
			assertThat(restore(server, enroll(server, "INFLIGHT-NEW"))).isEqualTo(during);
			assertThat(Files.readString(process.log()))
				.contains("Key-encryption key version 2 was added to")
				.doesNotContain("Reconciled the storage folders");
		}
	}

	private static byte[] restore(TestServer server, ComputerClient destination) {
		Grant restore = destination.request("RESTORE");
		var response = destination.download(restore.storeUrl(), restore.token(), null);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(destination.release(restore.token(), true).status()).isEqualTo(200);
		return response.body();
	}

	private static byte[] randomBytes(int size, long seed) {
		byte[] data = new byte[size];
		new Random(seed).nextBytes(data);
		return data;
	}

	/** Sends the first half at once, then a byte every 200 ms (the connection stays alive) until released. */
	private static final class HeldStream extends InputStream {

		final CountDownLatch halfSent = new CountDownLatch(1);

		volatile boolean held = true;

		private final byte[] data;

		private int position;

		HeldStream(byte[] data) {
			this.data = data;
		}

		@Override
		public int read() {
			byte[] one = new byte[1];
			return (read(one, 0, 1) < 0) ? -1 : one[0] & 0xff;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) {
			if (this.position >= this.data.length) {
				return -1;
			}
			int half = this.data.length / 2;
			int count;
			if (this.position >= half && this.held) {
				this.halfSent.countDown();
				sleep();
				count = 1;
			}
			else {
				int limit = (this.position < half) ? half - this.position : this.data.length - this.position;
				count = Math.min(Math.min(length, 64 * 1024), limit);
			}
			System.arraycopy(this.data, this.position, buffer, offset, count);
			this.position += count;
			return count;
		}

		private static void sleep() {
			try {
				Thread.sleep(200);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
