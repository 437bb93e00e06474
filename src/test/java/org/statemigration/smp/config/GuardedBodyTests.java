package org.statemigration.smp.config;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.problem.RequestBodyTimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class GuardedBodyTests {

	private final AtomicBoolean abandoned = new AtomicBoolean();

	@Test
	void aBodyThatArrivesInTimeIsReadWhole() throws IOException {
		GuardedBody body = GuardedBody.deadline(body(new byte[1000], 0), System.nanoTime(),
				TimeUnit.SECONDS.toNanos(10), () -> this.abandoned.set(true));
		assertThat(body.readAllBytes()).hasSize(1000);
		assertThat(this.abandoned).isFalse();
	}

	@Test
	void aBodyStillArrivingAfterTheDeadlineFails() {
		// one byte every 20 ms against a deadline of 100 ms
		GuardedBody body = GuardedBody.deadline(body(new byte[1000], 20), System.nanoTime(),
				TimeUnit.MILLISECONDS.toNanos(100), () -> this.abandoned.set(true));
		assertThatExceptionOfType(RequestBodyTimeoutException.class).isThrownBy(() -> {
			byte[] one = new byte[1];
			while (body.read(one, 0, 1) != -1) {
				// keep reading
			}
		});
		assertThat(this.abandoned).as("the body is given up on").isTrue();
	}

	@Test
	void aTransferBelowTheMinimumRateIsCutOff() {
		// 50 bytes per second against at least 1000 per second, measured over 200 ms of waiting
		GuardedBody body = GuardedBody.minimumRate(body(new byte[100_000], 20), 1000,
				TimeUnit.MILLISECONDS.toNanos(200), () -> this.abandoned.set(true));
		assertThatExceptionOfType(RequestBodyTimeoutException.class).isThrownBy(() -> {
			byte[] one = new byte[1];
			while (body.read(one, 0, 1) != -1) {
				// keep reading
			}
		});
		assertThat(this.abandoned).isTrue();
	}

	@Test
	void aTransferAboveTheMinimumRateGoesOnWhateverTheServerDoesMeanwhile() throws Exception {
		GuardedBody body = GuardedBody.minimumRate(body(new byte[64 * 1024], 0), 1000,
				TimeUnit.MILLISECONDS.toNanos(50), () -> this.abandoned.set(true));
		byte[] buffer = new byte[1024];
		long total = 0;
		int n;
		while ((n = body.read(buffer, 0, buffer.length)) != -1) {
			total += n;
			// the server's own pauses (a disk flush) do not count against the client
			Thread.sleep(2);
		}
		assertThat(total).isEqualTo(64 * 1024);
		assertThat(this.abandoned).isFalse();
	}

	/** A body that waits {@code millisPerRead} before each read, and gives at most one byte when it waits. */
	private static ServletInputStream body(byte[] content, long millisPerRead) {
		InputStream source = new ByteArrayInputStream(content);
		return new ServletInputStream() {

			@Override
			public int read() throws IOException {
				pause();
				return source.read();
			}

			@Override
			public int read(byte[] bytes, int offset, int length) throws IOException {
				pause();
				return source.read(bytes, offset, (millisPerRead > 0) ? Math.min(1, length) : length);
			}

			private void pause() throws IOException {
				if (millisPerRead > 0) {
					try {
						Thread.sleep(millisPerRead);
					}
					catch (InterruptedException ex) {
						throw new IOException(ex);
					}
				}
			}

			@Override
			public boolean isFinished() {
				return false;
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setReadListener(ReadListener listener) {
			}

		};
	}

}
