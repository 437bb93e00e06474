package org.statemigration.smp.problem;

import java.time.Duration;

/**
 * The request cannot be served now but may be shortly: 503 with the given problem type and a
 * {@code Retry-After}. Not a failure of the server, so it is not logged as one.
 */
public class RetryLaterException extends ProblemException {

	private final Duration retryAfter;

	public RetryLaterException(String slug, String detail, Duration retryAfter) {
		super(slug, 503, detail);
		this.retryAfter = retryAfter;
	}

	/** How long the caller should wait, in whole seconds, at least one. */
	public long retryAfterSeconds() {
		long seconds = this.retryAfter.toSeconds() + ((this.retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	@Override
	public String title() {
		return "Try again later";
	}

}
