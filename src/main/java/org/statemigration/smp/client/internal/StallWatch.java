package org.statemigration.smp.client.internal;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * Watches a transfer for stalls: the JDK's HTTP client has no read timeout for a response body, so a connection
 * that stays open but carries nothing would block the reading thread for ever (and in Java 17 an interrupt does
 * not end that read). If no progress is reported for the timeout, the watch closes the body's stream, once, which
 * cancels the exchange and makes the blocked read fail with an {@code IOException}.
 */
final class StallWatch implements AutoCloseable {

	private final Closeable body;

	private final long timeoutNanos;

	private final Thread watcher;

	private volatile long lastProgress = System.nanoTime();

	private boolean active = true;

	private boolean fired;

	StallWatch(Duration timeout, Closeable body) {
		this.body = body;
		this.timeoutNanos = timeout.toNanos();
		this.watcher = new Thread(this::watch, "smp-stall-watch");
		this.watcher.setDaemon(true);
		this.watcher.start();
	}

	void progressed() {
		this.lastProgress = System.nanoTime();
	}

	/** Whether the watch interrupted the reader. */
	synchronized boolean fired() {
		return this.fired;
	}

	@Override
	public void close() {
		synchronized (this) {
			this.active = false;
		}
		this.watcher.interrupt();
	}

	private void watch() {
		long pollMillis = Math.max(10, Math.min(1000, this.timeoutNanos / 4_000_000));
		try {
			while (true) {
				Thread.sleep(pollMillis);
				synchronized (this) {
					if (!this.active) {
						return;
					}
					if (System.nanoTime() - this.lastProgress > this.timeoutNanos) {
						this.fired = true;
					}
				}
				if (fired()) {
					closeBody();
					return;
				}
			}
		}
		catch (InterruptedException ex) {
			// closed
		}
	}

	private void closeBody() {
		try {
			this.body.close();
		}
		catch (IOException | RuntimeException ex) {
			// the reader fails either way
		}
	}

}
