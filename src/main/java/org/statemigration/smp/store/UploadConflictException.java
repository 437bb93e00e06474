package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** A chunk that does not go on where the upload stands, or while another request writes it ({@code invalid-state}). */
public class UploadConflictException extends ProblemException {

	public UploadConflictException(String detail) {
		super(ProblemType.UPLOAD_OFFSET_CONFLICT, detail);
	}

}
