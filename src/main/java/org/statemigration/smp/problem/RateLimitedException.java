package org.statemigration.smp.problem;

import java.time.Duration;

/** Too many failed attempts from this caller: try again later (429 {@code rate-limited}, with Retry-After). */
public class RateLimitedException extends ProblemException {

	private final Duration retryAfter;

	public RateLimitedException(String detail, Duration retryAfter) {
		super("rate-limited", 429, detail);
		this.retryAfter = retryAfter;
	}

	/** How long the caller should wait, in whole seconds, at least one. */
	public long retryAfterSeconds() {
		long seconds = this.retryAfter.toSeconds() + ((this.retryAfter.toNanosPart() > 0) ? 1 : 0);
		return Math.max(1, seconds);
	}

	@Override
	public String title() {
		return "Too many attempts";
	}

}
