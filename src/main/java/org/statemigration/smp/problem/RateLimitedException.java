package org.statemigration.smp.problem;

import java.time.Duration;

/** Too many failed attempts from this caller: try again later (429 {@code rate-limited}, with Retry-After). */
public class RateLimitedException extends RetryLaterException {

	public RateLimitedException(String detail, Duration retryAfter) {
		super("rate-limited", 429, detail, retryAfter);
	}

	@Override
	public String title() {
		return "Too many attempts";
	}

}
