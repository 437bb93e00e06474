package org.statemigration.smp.pki.internal;

/**
 * A certificate signing request was refused: it is not a PEM PKCS#10 request, its signature does not verify, or its
 * public key is not one the CA accepts. The message says which, and never echoes the request.
 */
public class InvalidCsrException extends RuntimeException {

	public InvalidCsrException(String message) {
		super(message);
	}

	public InvalidCsrException(String message, Throwable cause) {
		super(message, cause);
	}

}
