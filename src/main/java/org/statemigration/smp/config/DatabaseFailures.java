package org.statemigration.smp.config;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.problem.ProblemType;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a failure of the database itself (unreachable, closed, out of connections) from every other failure, so
 * that callers get 503 {@code database-unavailable} with Retry-After, which they retry, instead of a 500 (or a
 * 401 when it happens while an operator is signing in).
 */
final class DatabaseFailures {

	/** Seconds a caller is asked to wait: about what the pool needs to find a connection again. */
	static final int RETRY_AFTER_SECONDS = 10;

	static final String DETAIL = "The server cannot reach its database right now; try again shortly";

	/** H2: "The database has been closed" (after a write failed, e.g. a full disk) and "... at shutdown". */
	private static final int H2_DATABASE_IS_CLOSED = 90098;

	private static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;

	/** H2's general error, which is what the write that closes the database fails with. */
	private static final int H2_GENERAL_ERROR = 50000;

	private static final int MAX_DEPTH = 16;

	private DatabaseFailures() {
	}

	/** Whether the failure, or one of its causes, is the database being unavailable. */
	static boolean isUnavailable(Throwable failure) {
		Throwable cause = failure;
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			if (cause instanceof DataAccessResourceFailureException || cause instanceof CannotCreateTransactionException
					|| cause instanceof SQLTransientConnectionException
					|| cause instanceof SQLNonTransientConnectionException) {
				return true;
			}
			if (cause instanceof SQLException sql && isUnavailable(sql)) {
				return true;
			}
			// a statement failed because the connection broke, and then so did the rollback: the rollback's failure
			// is thrown, the statement's kept aside
			if (cause instanceof TransactionSystemException rollback && rollback.getApplicationException() != null
					&& isUnavailable(rollback.getApplicationException())) {
				return true;
			}
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		return false;
	}

	private static boolean isUnavailable(SQLException ex) {
		String state = ex.getSQLState();
		// SQLSTATE class 08: connection exception (PostgreSQL gone, connection reset, refused)
		if (state != null && state.startsWith("08")) {
			return true;
		}
		int code = ex.getErrorCode();
		return code == H2_DATABASE_IS_CLOSED || code == H2_DATABASE_CALLED_AT_SHUTDOWN
				|| (code == H2_GENERAL_ERROR && causedByStoreFailure(ex));
	}

	private static boolean causedByStoreFailure(SQLException ex) {
		Throwable cause = ex.getCause();
		for (int depth = 0; cause != null && depth < MAX_DEPTH; depth++) {
			if ("org.h2.mvstore.MVStoreException".equals(cause.getClass().getName())) {
				return true;
			}
			cause = (cause.getCause() != cause) ? cause.getCause() : null;
		}
		return false;
	}

	/** Writes the 503 answer straight to the response (in filters, where no advice runs). */
	static void write(HttpServletResponse response) throws java.io.IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS));
		Problems.write(response, ProblemType.DATABASE_UNAVAILABLE, DETAIL);
	}

}
