package org.statemigration.smp.store;

import java.time.Duration;

import org.statemigration.smp.problem.ProblemType;
import org.statemigration.smp.problem.RetryLaterException;

/**
 * Another capture of the same association is running, or claimed the next version at the same moment
 * ({@code capture-in-progress}): nothing was read or stored, and the caller may try again shortly.
 */
public class CaptureInProgressException extends RetryLaterException {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	public CaptureInProgressException() {
		this(RETRY_AFTER);
	}

	public CaptureInProgressException(Duration retryAfter) {
		super(ProblemType.CAPTURE_IN_PROGRESS, "Another capture of this association is in progress; try again shortly",
				retryAfter);
	}

}
