package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;

/** A chunk whose bytes do not match its {@code Upload-Checksum}; nothing of it was kept ({@code digest-mismatch}). */
public class ChecksumMismatchException extends ProblemException {

	public ChecksumMismatchException(String detail) {
		super(ProblemType.CHECKSUM_MISMATCH, detail);
	}

}
