package org.statemigration.smp.problem;

import java.time.Duration;

/**
 * A refusal that is not the caller's fault and passes: the answer carries {@code Retry-After}, so that clients
 * (and task sequences) wait and try again instead of failing the migration.
 */
public abstract class RetryLaterException extends ProblemException {

	private final Duration retryAfter;

	protected RetryLaterException(ProblemType type, String detail, Duration retryAfter) {
		super(type, detail);
		this.retryAfter = retryAfter;
	}

	protected RetryLaterException(ProblemType type, String detail, Duration retryAfter, Throwable cause) {
		super(type, detail, cause);
		this.retryAfter = retryAfter;
	}

	/** How long the caller should wait, in whole seconds, at least one. */
	public long retryAfterSeconds() {
		long seconds = this.retryAfter.toSeconds() + ((this.retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

}
