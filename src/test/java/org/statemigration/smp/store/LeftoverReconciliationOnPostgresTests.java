package org.statemigration.smp.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.statemigration.smp.support.TestEnvironments;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Reconciliation on PostgreSQL (where {@code SMP_TEST_POSTGRES_URL} points, by default the local server), in a
 * database of its own that is dropped afterwards; each test empties it first. Skipped when PostgreSQL is not
 * reachable, except under {@code CI=true}.
 */
class LeftoverReconciliationOnPostgresTests extends LeftoverReconciliationTests {

	private static final String DATABASE = "smp_leftovers_" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeAll
	static void createDatabase() {
		try {
			execute("CREATE DATABASE " + DATABASE);
		}
		catch (SQLException ex) {
			String reason = "PostgreSQL is not reachable at " + TestEnvironments.serverUrl() + " (" + ex.getMessage() + ")";
			if ("true".equals(System.getenv("CI"))) {
				fail(reason);
			}
			System.err.println("SKIPPED " + LeftoverReconciliationOnPostgresTests.class.getSimpleName() + ": " + reason);
			abort(reason);
		}
	}

	@AfterAll
	static void dropDatabase() throws SQLException {
		execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
	}

	@Override
	DataSource emptyDatabase() {
		DataSource source = new SimpleDriverDataSource(new org.postgresql.Driver(), TestEnvironments.serverUrl() + DATABASE,
				TestEnvironments.user(), TestEnvironments.password());
		try (Connection connection = source.getConnection(); Statement statement = connection.createStatement()) {
			statement.execute("DROP SCHEMA public CASCADE");
			statement.execute("CREATE SCHEMA public");
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return source;
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestEnvironments.serverUrl() + "postgres",
				TestEnvironments.user(), TestEnvironments.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}


}
