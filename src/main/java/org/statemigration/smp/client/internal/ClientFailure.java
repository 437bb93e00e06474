package org.statemigration.smp.client.internal;

import org.statemigration.smp.client.ExitCodes;

/**
 * Why a command stops, with the exit code that says so to the task sequence. Messages never carry a secret.
 */
final class ClientFailure extends RuntimeException {

	private final int exitCode;

	private final String slug;

	private ClientFailure(int exitCode, String message, Throwable cause) {
		this(exitCode, message, cause, "");
	}

	private ClientFailure(int exitCode, String message, Throwable cause, String slug) {
		super(message, cause);
		this.exitCode = exitCode;
		this.slug = slug;
	}

	static ClientFailure usage(String message) {
		return new ClientFailure(ExitCodes.USAGE, message, null);
	}

	static ClientFailure noAssociation(String message) {
		return new ClientFailure(ExitCodes.NO_ASSOCIATION, message, null);
	}

	static ClientFailure refused(String message) {
		return new ClientFailure(ExitCodes.REFUSED, message, null);
	}

	/** A refusal with the server's problem slug, so that a caller can act on some (an expired token). */
	static ClientFailure refused(String message, String slug) {
		return new ClientFailure(ExitCodes.REFUSED, message, null, slug);
	}

	static ClientFailure network(String message, Throwable cause) {
		return new ClientFailure(ExitCodes.NETWORK, message, cause);
	}

	static ClientFailure integrity(String message) {
		return new ClientFailure(ExitCodes.INTEGRITY, message, null);
	}

	static ClientFailure failed(String message, Throwable cause) {
		return new ClientFailure(ExitCodes.FAILED, message, cause);
	}

	int exitCode() {
		return this.exitCode;
	}

	/** Whether the server refused the token (expired, spent): a new one from request-state-store may do. */
	boolean tokenRefused() {
		return this.slug.equals("token-invalid");
	}

}
