package org.statemigration.smp.store;

import java.util.UUID;

/**
 * What an integrity check found of one committed version of a state store.
 * @param location where the blob lies, for people to read (a file's path or an S3 object's address)
 * @param segment the segment that failed authentication, from 0, for {@link Verdict#AUTHENTICATION_FAILED}
 * @param bytesRead the ciphertext bytes read
 * @param detail what was found, in words; never a secret
 */
public record StoreCheck(UUID storeId, UUID associationId, long version, String location, Verdict verdict,
		Long segment, long bytesRead, String detail) {

	/** Whether the version is damaged: it cannot be restored whole. */
	public boolean damaged() {
		return this.verdict.damaged();
	}

	/** What a check found. */
	public enum Verdict {

		/** Every segment authenticated, and the plaintext's SHA-256 is the one recorded at the commit. */
		INTACT(false),

		/** A segment failed authentication: its bytes, its tag or the header changed. */
		AUTHENTICATION_FAILED(true),

		/** The blob is shorter than the committed version's ciphertext. */
		TRUNCATED(true),

		/** The blob is longer than the committed version's ciphertext. */
		EXTENDED(true),

		/** The blob does not start with a header of the stream format. */
		MALFORMED(true),

		/** Every segment authenticated, but the plaintext's SHA-256 is not the one recorded at the commit. */
		DIGEST_MISMATCH(true),

		/** The blob is not in its location. */
		MISSING(true),

		/**
		 * The blob could not be read now (its location unreachable or no longer configured, a read error, a data
		 * key that does not unwrap): nothing is known to be wrong with it, the check is tried again later.
		 */
		UNREADABLE(false);

		private final boolean damaged;

		Verdict(boolean damaged) {
			this.damaged = damaged;
		}

		public boolean damaged() {
			return this.damaged;
		}

		/** The verdict as it is written in records and answers: lower case, words joined by hyphens. */
		public String slug() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

}
