package org.statemigration.smp.client.internal;

import java.time.Duration;

/**
 * The server asked to be asked again later (a 5xx with {@code Retry-After}: it runs its most transfers, another
 * upload to the association is running, its database is away). Waiting for it is not a failed try.
 */
final class ServerBusy extends TransientFailure {

	private final Duration retryAfter;

	ServerBusy(String message, Duration retryAfter) {
		super(message);
		this.retryAfter = retryAfter;
	}

	Duration retryAfter() {
		return this.retryAfter;
	}

}
