package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.time.Duration;

/**
 * Counts failed tries of one step and waits between them: network errors and server errors other than refusals
 * are tried again, up to {@code --retries} tries in a row, {@code --retry-delay} apart. A transfer that made
 * progress starts counting afresh, so a long upload survives any number of separate interruptions. A server that
 * asks to be asked again later (busy with other transfers, in a refresh wave) is waited for as long as it says,
 * up to {@link #MAX_BUSY_WAIT} in all, without using up tries.
 */
final class Attempts {

	private final int tries;

	private final Duration delay;

	private final Output output;

	/** How long one step waits for a busy server in all before its answers count as failed tries. */
	static final Duration MAX_BUSY_WAIT = Duration.ofHours(2);

	/** The longest single wait for a busy server, whatever it asks. */
	static final Duration MAX_BUSY_PAUSE = Duration.ofMinutes(5);

	private int failures;

	private Duration busyWaited = Duration.ZERO;

	Attempts(int tries, Duration delay, Output output) {
		this.tries = tries;
		this.delay = delay;
		this.output = output;
	}

	/** Runs the call until it succeeds, a try fails with a refusal, or the tries are used up. */
	<T> T run(String what, IoCall<T> call) {
		while (true) {
			try {
				T result = call.call();
				progressed();
				return result;
			}
			catch (IOException ex) {
				failed(what, ex);
			}
		}
	}

	/** Records a failed try: waits before the next one, or gives up with exit code 5 once none is left. */
	void failed(String what, IOException cause) {
		if (cause instanceof ServerBusy busy && this.busyWaited.compareTo(MAX_BUSY_WAIT) < 0) {
			Duration pause = busy.retryAfter().isZero() ? Duration.ofSeconds(1)
					: (busy.retryAfter().compareTo(MAX_BUSY_PAUSE) > 0) ? MAX_BUSY_PAUSE : busy.retryAfter();
			this.busyWaited = this.busyWaited.plus(pause);
			this.output.info(what + ": " + busy.getMessage() + "; trying again in " + seconds(pause));
			sleep(pause);
			return;
		}
		this.failures++;
		if (this.failures >= this.tries) {
			throw ClientFailure.network(what + " failed after " + this.tries + " tries: " + describe(cause), cause);
		}
		this.output.info(what + " failed (" + describe(cause) + "); trying again in " + seconds(this.delay) + " ("
				+ (this.tries - this.failures) + " more " + ((this.tries - this.failures == 1) ? "try" : "tries") + ")");
		sleep(this.delay);
	}

	/** Records progress: the next failure is the first of a new run. */
	void progressed() {
		this.failures = 0;
		this.busyWaited = Duration.ZERO;
	}

	private void sleep(Duration pause) {
		try {
			Thread.sleep(pause.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ClientFailure.failed("Interrupted", ex);
		}
	}

	static String describe(IOException ex) {
		String message = ex.getMessage();
		String type = ex.getClass().getSimpleName();
		return (message == null || message.isBlank()) ? type : type + ": " + message;
	}

	private static String seconds(Duration duration) {
		return (duration.toMillis() % 1000 == 0) ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
	}

	/** A step that may fail with an {@link IOException} worth trying again. */
	@FunctionalInterface
	interface IoCall<T> {

		T call() throws IOException;

	}

}
