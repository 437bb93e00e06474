package org.statemigration.smp.backup.internal;

/** What a command's failure means for its exit code and its message, whatever wrapped it on the way out. */
final class RunFailures {

	/** H2's {@code ErrorCode.DATABASE_ALREADY_OPEN_1}. */
	private static final int H2_DATABASE_ALREADY_OPEN = 90020;

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

	/**
	 * Whether the failure is the embedded H2 database held by another process (H2's error 90020, "Database may be
	 * already in use", whose innermost cause says "The file is locked").
	 */
	static boolean databaseHeldElsewhere(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof java.sql.SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
				return true;
			}
			String message = cause.getMessage();
			if (message != null && (message.contains("already in use") || message.contains("The file is locked"))) {
				return true;
			}
		}
		return false;
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
