package org.statemigration.smp.retention;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A real chunked upload that sends its first bytes and then stalls, as a client whose network went away: the
 * server holds its reservation, its {@code UPLOADING} version and its {@code .part} file. Closing it makes the
 * client give up.
 */
final class StalledUpload implements AutoCloseable {

	private static final int SENT = 2 * 1024 * 1024;

	private final CountDownLatch giveUp;

	private final CompletableFuture<Response> response;

	private final UUID storeId;

	private final Path part;

	private StalledUpload(CountDownLatch giveUp, CompletableFuture<Response> response, UUID storeId, Path part) {
		this.giveUp = giveUp;
		this.response = response;
		this.storeId = storeId;
		this.part = part;
	}

	static StalledUpload start(ComputerClient computer, JdbcClient jdbc) throws Exception {
		Grant capture = computer.request("CAPTURE");
		CountDownLatch giveUp = new CountDownLatch(1);
		CompletableFuture<Response> response = CompletableFuture.supplyAsync(() -> computer.upload(capture.storeUrl(),
				capture.token(), () -> new StallingStream(giveUp), -1, null));
		Instant deadline = Instant.now().plusSeconds(20);
		while (Instant.now().isBefore(deadline)) {
			Optional<Path> part = jdbc.sql("SELECT id, folder FROM state_store WHERE association_id = ? AND status = 'UPLOADING'")
				.param(UUID.fromString(capture.associationId()))
				.query((rs, row) -> Path.of(rs.getString("folder"), capture.associationId(),
						rs.getObject("id", UUID.class) + ".part"))
				.optional();
			if (part.isPresent() && Files.exists(part.get()) && Files.size(part.get()) > 0) {
				String name = part.get().getFileName().toString();
				return new StalledUpload(giveUp, response, UUID.fromString(name.substring(0, name.indexOf('.'))),
						part.get());
			}
			if (response.isDone()) {
				throw new IllegalStateException("The upload ended before it stalled: " + response.get());
			}
			Thread.sleep(100);
		}
		giveUp.countDown();
		throw new IllegalStateException("The upload did not start within 20 s");
	}

	UUID storeId() {
		return this.storeId;
	}

	Path part() {
		return this.part;
	}

	@Override
	public void close() throws Exception {
		this.giveUp.countDown();
		try {
			this.response.get(30, TimeUnit.SECONDS);
		}
		catch (java.util.concurrent.ExecutionException ex) {
			// the client gave up: that is the point
		}
	}

	/** Some bytes, then nothing until the client gives up, then a failure. */
	private static final class StallingStream extends InputStream {

		private final CountDownLatch giveUp;

		private int remaining = SENT;

		StallingStream(CountDownLatch giveUp) {
			this.giveUp = giveUp;
		}

		@Override
		public int read() throws IOException {
			byte[] one = new byte[1];
			return (read(one, 0, 1) == -1) ? -1 : (one[0] & 0xff);
		}

		@Override
		public int read(byte[] b, int off, int len) throws IOException {
			if (this.remaining > 0) {
				int n = Math.min(len, this.remaining);
				for (int i = 0; i < n; i++) {
					b[off + i] = (byte) (this.remaining - i);
				}
				this.remaining -= n;
				return n;
			}
			try {
				this.giveUp.await(Duration.ofMinutes(2).toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			throw new IOException("The client gave up");
		}

	}

}
