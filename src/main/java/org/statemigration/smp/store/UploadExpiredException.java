package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** The upload was idle past its expiry: it is gone, or about to be ({@code not-found}). */
public class UploadExpiredException extends ProblemException {

	public UploadExpiredException(String detail) {
		super(ProblemType.UPLOAD_EXPIRED, detail);
	}

}
