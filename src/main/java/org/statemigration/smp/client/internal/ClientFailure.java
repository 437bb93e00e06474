package org.statemigration.smp.client.internal;

import org.statemigration.smp.client.ExitCodes;

/**
 * Why a command stops, with the exit code that says so to the task sequence. Messages never carry a secret.
 */
final class ClientFailure extends RuntimeException {

	private final int exitCode;

	private ClientFailure(int exitCode, String message, Throwable cause) {
		super(message, cause);
		this.exitCode = exitCode;
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

}
