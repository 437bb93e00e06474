package org.statemigration.smp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Prepares what a test server needs before its Spring context starts: an empty data dir, once per test run, and
 * for PostgreSQL a freshly created database. Runs as an execution condition because those are evaluated before
 * the context is loaded.
 */
public class TestEnvironments implements ExecutionCondition {

	/** The database the shared PostgreSQL server uses; {@code SMP_TEST_POSTGRES_DATABASE} overrides it. */
	public static final String POSTGRES_DATABASE = env("SMP_TEST_POSTGRES_DATABASE", "smp_it");

	private static boolean dataDirWiped;

	private static Boolean postgresAvailable;

	@Override
	public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
		TestDatabase database = TestDatabase.current();
		if (database == TestDatabase.POSTGRES && !preparePostgres()) {
			return postgresMissing();
		}
		wipeOnce(database.dataDir());
		return ConditionEvaluationResult.enabled("environment ready");
	}

	private static ConditionEvaluationResult postgresMissing() {
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException("PostgreSQL is required on CI but is not reachable at " + serverUrl()
					+ "; start it before the tests");
		}
		System.err.println("WARNING: PostgreSQL is not reachable at " + serverUrl()
				+ ": the PostgreSQL integration tests are SKIPPED");
		return ConditionEvaluationResult.disabled("PostgreSQL not reachable");
	}

	private static synchronized void wipeOnce(Path dataDir) {
		if (dataDirWiped) {
			return;
		}
		dataDirWiped = true;
		if (Files.notExists(dataDir)) {
			return;
		}
		try (Stream<Path> files = Files.walk(dataDir)) {
			files.sorted(Comparator.reverseOrder()).forEach((p) -> p.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static synchronized boolean preparePostgres() {
		if (postgresAvailable != null) {
			return postgresAvailable;
		}
		try (Connection connection = DriverManager.getConnection(serverUrl() + "postgres", user(), password());
				Statement statement = connection.createStatement()) {
			statement.execute("DROP DATABASE IF EXISTS " + POSTGRES_DATABASE + " WITH (FORCE)");
			statement.execute("CREATE DATABASE " + POSTGRES_DATABASE);
			postgresAvailable = true;
		}
		catch (SQLException ex) {
			System.err.println("PostgreSQL check failed: " + ex.getMessage());
			postgresAvailable = false;
		}
		return postgresAvailable;
	}

	/** The PostgreSQL server the tests use, as a JDBC URL ending in {@code /}, without a database. */
	public static String serverUrl() {
		return env("SMP_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/");
	}

	public static String user() {
		return env("SMP_TEST_POSTGRES_USER", "postgres");
	}

	public static String password() {
		return env("SMP_TEST_POSTGRES_PASSWORD", "");
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value != null && !value.isEmpty()) ? value : fallback;
	}

}
