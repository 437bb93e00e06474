package org.statemigration.smp.store;

import java.time.Duration;

import org.statemigration.smp.problem.ProblemType;
import org.statemigration.smp.problem.RetryLaterException;

/**
 * The storage location of a capture (an S3 bucket) could not be reached or refused a write
 * ({@code storage-unavailable}): nothing was stored, the reservation is released, and the caller may try again
 * later. The detail says nothing of the location or its credentials; the server's log names the location and the
 * failure.
 */
public class StorageUnavailableException extends RetryLaterException {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(30);

	public StorageUnavailableException(String detail, Throwable cause) {
		super(ProblemType.STORAGE_UNAVAILABLE, detail, RETRY_AFTER, cause);
	}

}
