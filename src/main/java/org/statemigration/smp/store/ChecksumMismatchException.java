package org.statemigration.smp.store;

import org.statemigration.smp.problem.ProblemException;

/** A chunk whose bytes do not match its {@code Upload-Checksum}; nothing of it was kept (460). */
public class ChecksumMismatchException extends ProblemException {

	public ChecksumMismatchException(String detail) {
		super("digest-mismatch", 460, detail);
	}

	@Override
	public String title() {
		return "Checksum mismatch";
	}

}
