package org.statemigration.smp.backup.internal;

/** What a command's failure means for its exit code and its message, whatever wrapped it on the way out. */
final class RunFailures {

	private RunFailures() {
	}

	/** The refusal in the cause chain, if any. */
	static RuntimeException refusal(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BackupRefusedException || cause instanceof BackupRestorer.TargetNotEmptyException
					|| cause instanceof MissingMasterKeyException) {
				return (RuntimeException) cause;
			}
		}
		return null;
	}

	/** The innermost message, which says what went wrong rather than which step it broke. */
	static String message(Throwable failure) {
		String message = failure.toString();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null) {
				message = cause.getMessage();
			}
		}
		return message;
	}

}
