package org.statemigration.smp.problem;

import java.time.Duration;

/**
 * The server is at one of its limits of concurrent work (transfers, unauthenticated requests):
 * {@code server-busy} with Retry-After, answered before any byte of the request's body is read.
 */
public class ServerBusyException extends RetryLaterException {

	public ServerBusyException(String detail, Duration retryAfter) {
		super(ProblemType.SERVER_BUSY, detail, retryAfter);
	}

}
