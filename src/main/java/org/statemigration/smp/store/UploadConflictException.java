package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;

/** A chunk that does not go on where the upload stands, or while another request writes it (409). */
public class UploadConflictException extends ProblemException {

	public UploadConflictException(String detail) {
		super("invalid-state", 409, detail);
	}

	@Override
	public String title() {
		return "Upload offset conflict";
	}

}
