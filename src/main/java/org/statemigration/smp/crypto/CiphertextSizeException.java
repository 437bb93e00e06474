package org.statemigration.smp.crypto;

/**
 * A ciphertext file is not as long as the plaintext it should hold encrypts to: it was truncated, or something was
 * added to it.
 */
public class CiphertextSizeException extends CryptoException {

	private final long actual;

	private final long expected;

	/**
	 * @param expected the size the file should have, or -1 when it is too short to hold even a header
	 */
	public CiphertextSizeException(long actual, long expected) {
		super("Ciphertext has " + actual + " bytes"
				+ ((expected >= 0) ? ", its plaintext encrypts to " + expected : ", less than its header"));
		this.actual = actual;
		this.expected = expected;
	}

	/** The size of the file. */
	public long actual() {
		return this.actual;
	}

	/** Whether the file is shorter than it should be. */
	public boolean truncated() {
		return this.expected < 0 || this.actual < this.expected;
	}

}
