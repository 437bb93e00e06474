package org.statemigration.smp.managementpoint;

import java.time.Duration;

import org.statemigration.smp.problem.RetryLaterException;

/** Another capture of the same association is running: 503 {@code capture-in-progress}, with Retry-After. */
public class CaptureInProgressException extends RetryLaterException {

	public CaptureInProgressException(Duration retryAfter) {
		super("capture-in-progress", 503,
				"Another upload to this association is running; try again when it has ended", retryAfter);
	}

	@Override
	public String title() {
		return "Capture in progress";
	}

}
