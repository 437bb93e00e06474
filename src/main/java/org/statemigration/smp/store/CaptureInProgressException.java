package org.statemigration.smp.store;

import java.time.Duration;

import org.statemigration.smp.problem.RetryLaterException;

/**
 * Another capture of the same association claimed the next version at the same moment (503
 * {@code capture-in-progress}): nothing was read or stored, and the caller may try again shortly.
 */
public class CaptureInProgressException extends RetryLaterException {

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	public CaptureInProgressException() {
		super("capture-in-progress", "Another capture of this association is in progress; try again shortly",
				RETRY_AFTER);
	}

	@Override
	public String title() {
		return "Capture in progress";
	}

}
