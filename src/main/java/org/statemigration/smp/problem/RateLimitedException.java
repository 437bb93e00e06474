package org.statemigration.smp.problem;

import java.time.Duration;

/** Too many failed attempts from this caller: try again later ({@code rate-limited}, with Retry-After). */
public class RateLimitedException extends RetryLaterException {

	public RateLimitedException(String detail, Duration retryAfter) {
		super(ProblemType.TOO_MANY_ATTEMPTS, detail, retryAfter);
	}

}
