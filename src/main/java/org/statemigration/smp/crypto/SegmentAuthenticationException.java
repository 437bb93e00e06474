package org.statemigration.smp.crypto;

/**
 * One segment of a segmented ciphertext failed authentication: its bytes, its tag, the header, or its place in the
 * file are not what was written with this key and associated data. It names the segment (from 0), so that a check
 * of the whole file can say where the damage is.
 */
public class SegmentAuthenticationException extends CiphertextAuthenticationException {

	private final long segment;

	public SegmentAuthenticationException(long segment, Throwable cause) {
		super("Segment " + segment + " failed authentication", cause);
		this.segment = segment;
	}

	/** The index of the segment that failed, from 0. */
	public long segment() {
		return this.segment;
	}

}
