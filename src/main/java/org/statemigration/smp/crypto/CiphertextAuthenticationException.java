package org.statemigration.smp.crypto;

import java.io.IOException;

/**
 * A segment of a segmented ciphertext failed authentication while being read: the file was changed, truncated,
 * extended or reordered, or the key or associated data is not the one it was written with. None of the
 * segment's plaintext was returned.
 * <p>
 * An {@link IOException}, because it surfaces from {@link java.io.InputStream#read}; problems found before any
 * segment is opened (an unknown header, an impossible file size) are {@link CryptoException}s instead.
 */
public class CiphertextAuthenticationException extends IOException {

	public CiphertextAuthenticationException(String message) {
		super(message);
	}

	public CiphertextAuthenticationException(String message, Throwable cause) {
		super(message, cause);
	}

}
