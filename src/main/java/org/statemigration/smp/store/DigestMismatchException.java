package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

public class DigestMismatchException extends ProblemException {

	public DigestMismatchException(String detail) {
		super(ProblemType.DIGEST_MISMATCH, detail);
	}

}
