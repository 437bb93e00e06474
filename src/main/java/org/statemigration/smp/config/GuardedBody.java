package org.statemigration.smp.config;

import java.io.IOException;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;

import org.statemigration.smp.problem.RequestBodyTimeoutException;

/**
 * A request body that fails with {@link RequestBodyTimeoutException} once its client is too slow: either the
 * whole body must have arrived by a deadline, or (for transfers of any size) the client must keep up a minimum
 * rate, counted over the time spent waiting for its bytes only, so that the server's own pauses (a disk flush) are
 * never held against the client. A blocked read that gets nothing at all ends with the connection's timeout.
 */
final class GuardedBody extends ServletInputStream {

	private final ServletInputStream body;

	private final Pace pace;

	private final Runnable onTimeout;

	private GuardedBody(ServletInputStream body, Pace pace, Runnable onTimeout) {
		this.body = body;
		this.pace = pace;
		this.onTimeout = onTimeout;
	}

	/**
	 * A body that must have arrived within {@code timeoutNanos} of {@code startNanos}.
	 * @param onTimeout runs when the body is too late, before the read fails
	 */
	static GuardedBody deadline(ServletInputStream body, long startNanos, long timeoutNanos, Runnable onTimeout) {
		return new GuardedBody(body, new Deadline(startNanos + timeoutNanos), onTimeout);
	}

	/**
	 * A body whose client must send at least {@code minBytesPerSecond}, measured over {@code windowNanos}.
	 * @param onTimeout runs when the body is too slow, before the read fails
	 */
	static GuardedBody minimumRate(ServletInputStream body, long minBytesPerSecond, long windowNanos,
			Runnable onTimeout) {
		return new GuardedBody(body, new MinimumRate(minBytesPerSecond, windowNanos), onTimeout);
	}

	@Override
	public int read() throws IOException {
		long start = System.nanoTime();
		int b = this.body.read();
		judge((b < 0) ? 0 : 1, start);
		return b;
	}

	@Override
	public int read(byte[] bytes, int offset, int length) throws IOException {
		long start = System.nanoTime();
		int n = this.body.read(bytes, offset, length);
		judge(Math.max(n, 0), start);
		return n;
	}

	private void judge(int bytes, long start) throws RequestBodyTimeoutException {
		try {
			this.pace.received(bytes, start, System.nanoTime());
		}
		catch (RequestBodyTimeoutException ex) {
			this.onTimeout.run();
			throw ex;
		}
	}

	@Override
	public int available() throws IOException {
		return this.body.available();
	}

	@Override
	public void close() throws IOException {
		this.body.close();
	}

	@Override
	public boolean isFinished() {
		return this.body.isFinished();
	}

	@Override
	public boolean isReady() {
		return this.body.isReady();
	}

	@Override
	public void setReadListener(ReadListener listener) {
		this.body.setReadListener(listener);
	}

	/** Judges each read: how many bytes came, and when the read started and ended. */
	private interface Pace {

		void received(int bytes, long startNanos, long endNanos) throws RequestBodyTimeoutException;

	}

	private record Deadline(long deadlineNanos) implements Pace {

		@Override
		public void received(int bytes, long startNanos, long endNanos) throws RequestBodyTimeoutException {
			if (endNanos - this.deadlineNanos > 0) {
				throw new RequestBodyTimeoutException("The request body did not arrive in time");
			}
		}

	}

	private static final class MinimumRate implements Pace {

		private final long minBytesPerSecond;

		private final long windowNanos;

		private long waitedNanos;

		private long bytes;

		MinimumRate(long minBytesPerSecond, long windowNanos) {
			this.minBytesPerSecond = minBytesPerSecond;
			this.windowNanos = windowNanos;
		}

		@Override
		public void received(int bytes, long startNanos, long endNanos) throws RequestBodyTimeoutException {
			this.waitedNanos += endNanos - startNanos;
			this.bytes += bytes;
			if (this.waitedNanos >= this.windowNanos) {
				double seconds = this.waitedNanos / 1e9;
				if (this.bytes < this.minBytesPerSecond * seconds) {
					throw new RequestBodyTimeoutException("The body arrives slower than " + this.minBytesPerSecond
							+ " bytes per second; the transfer was cut off");
				}
				this.waitedNanos = 0;
				this.bytes = 0;
			}
		}

	}

}
