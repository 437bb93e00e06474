package org.statemigration.smp.store;

import org.statemigration.smp.problem.ValidationException;

/** The body ended before its declared length, or went on past it; nothing was stored. */
public class IncompleteUploadException extends ValidationException {

	public IncompleteUploadException(String detail) {
		super(detail);
	}

}
