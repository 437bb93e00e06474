package org.statemigration.smp.config;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.security.authentication.InternalAuthenticationServiceException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures are the database being unavailable (503 database-unavailable) and which are not. */
class DatabaseFailuresTests {

	@Test
	void noConnectionFromThePoolIsUnavailable() {
		assertThat(DatabaseFailures.isUnavailable(new CannotGetJdbcConnectionException("no connection",
				new SQLTransientConnectionException("HikariPool-1 - Connection is not available")))).isTrue();
		assertThat(DatabaseFailures.isUnavailable(new CannotCreateTransactionException("no transaction"))).isTrue();
	}

	@Test
	void aSignInThatCouldNotLookTheAccountUpIsUnavailable() {
		assertThat(DatabaseFailures.isUnavailable(new InternalAuthenticationServiceException("lookup failed",
				new CannotGetJdbcConnectionException("no connection")))).isTrue();
	}

	@Test
	void aRollbackThatFailedAfterTheConnectionBrokeIsUnavailable() {
		TransactionSystemException rollback = new TransactionSystemException("JDBC rollback failed",
				new SQLException("Connection is closed"));
		rollback.initApplicationException(new DataAccessResourceFailureException("I/O error",
				new SQLException("An I/O error occurred while sending to the backend.", "08006")));
		assertThat(DatabaseFailures.isUnavailable(rollback)).isTrue();
		assertThat(DatabaseFailures.isUnavailable(new TransactionSystemException("JDBC rollback failed"))).isFalse();
	}

	@Test
	void aBrokenPostgresConnectionIsUnavailable() {
		SQLException reset = new SQLException("An I/O error occurred while sending to the backend.", "08006");
		assertThat(DatabaseFailures.isUnavailable(new UncategorizedSQLException("query", "SELECT 1", reset))).isTrue();
	}

	@Test
	void aClosedH2DatabaseIsUnavailable() {
		SQLException closed = new SQLException("The database has been closed [90098-240]", "90098", 90098);
		assertThat(DatabaseFailures.isUnavailable(new UncategorizedSQLException("query", "SELECT 1", closed))).isTrue();
	}

	@Test
	void otherDatabaseErrorsAreNot() {
		assertThat(DatabaseFailures.isUnavailable(new DataIntegrityViolationException("duplicate key"))).isFalse();
		SQLException general = new SQLException("General error", "HY000", 50000, new IOException("other"));
		assertThat(DatabaseFailures.isUnavailable(new UncategorizedSQLException("query", "SELECT 1", general))).isFalse();
		assertThat(DatabaseFailures.isUnavailable(new IllegalStateException("not the database"))).isFalse();
		assertThat(DatabaseFailures.isUnavailable(new InternalAuthenticationServiceException("other"))).isFalse();
	}

}
