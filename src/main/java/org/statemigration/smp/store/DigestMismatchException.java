package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;

public class DigestMismatchException extends ProblemException {

	public DigestMismatchException(String detail) {
		super("digest-mismatch", 400, detail);
	}

	@Override
	public String title() {
		return "Digest mismatch";
	}

}
