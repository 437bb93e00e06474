package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;

/** The upload was idle past its expiry: it is gone, or about to be (410). */
public class UploadExpiredException extends ProblemException {

	public UploadExpiredException(String detail) {
		super("not-found", 410, detail);
	}

	@Override
	public String title() {
		return "Upload expired";
	}

}
