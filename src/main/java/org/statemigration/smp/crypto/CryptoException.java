package org.statemigration.smp.crypto;

/**
 * A cryptographic operation failed: a key could not be unwrapped, or ciphertext failed authentication. The
 * message never carries key material.
 */
public class CryptoException extends RuntimeException {

	public CryptoException(String message) {
		super(message);
	}

	public CryptoException(String message, Throwable cause) {
		super(message, cause);
	}

}
