package org.statemigration.smp.client;

/**
 * The exit codes of {@code smp client}, which task sequences branch on.
 */
public final class ExitCodes {

	/** The command did what it was asked. */
	public static final int DONE = 0;

	/** Anything else: a local failure such as an unwritable file. */
	public static final int FAILED = 1;

	/** A wrong command line, a missing file, or no identity (the computer has not enrolled). */
	public static final int USAGE = 2;

	/** The server knows no association for this computer in that role. */
	public static final int NO_ASSOCIATION = 3;

	/** The server refused: restore-only mode, storage, quota, state, a blocked certificate, a wrong code. */
	public static final int REFUSED = 4;

	/** The server could not be reached, or kept failing, after every try. */
	public static final int NETWORK = 5;

	/** The data or the server is not what was expected: a digest mismatch or a wrong server fingerprint. */
	public static final int INTEGRITY = 6;

	private ExitCodes() {
	}

}
