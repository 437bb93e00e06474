package org.statemigration.smp.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

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
			String reason = "PostgreSQL is not reachable at " + server() + " (" + ex.getMessage() + ")";
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
		DataSource source = new SimpleDriverDataSource(new org.postgresql.Driver(), server() + DATABASE,
				env("SMP_TEST_POSTGRES_USER", "postgres"), env("SMP_TEST_POSTGRES_PASSWORD", ""));
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
		try (Connection connection = DriverManager.getConnection(server() + "postgres",
				env("SMP_TEST_POSTGRES_USER", "postgres"), env("SMP_TEST_POSTGRES_PASSWORD", ""));
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

	private static String server() {
		return env("SMP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/");
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isEmpty()) ? value : fallback;
	}

}
