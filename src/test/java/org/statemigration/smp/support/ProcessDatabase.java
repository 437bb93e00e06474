package org.statemigration.smp.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Assumptions;

/**
 * The database of a server started by {@link ServerProcess}: its embedded H2 (no arguments), or a fresh
 * PostgreSQL database of its own on the test PostgreSQL server, dropped again on {@link #close()}. Without
 * PostgreSQL a test asking for it is skipped with a warning, except on CI ({@code CI=true}), where it fails.
 */
public final class ProcessDatabase implements AutoCloseable {

	private final String postgresDatabase;

	private ProcessDatabase(String postgresDatabase) {
		this.postgresDatabase = postgresDatabase;
	}

	public static ProcessDatabase h2() {
		return new ProcessDatabase(null);
	}

	/**
	 * The database of the run ({@link TestDatabase}): H2, or on the PostgreSQL run a new, empty PostgreSQL database
	 * for {@code purpose} (see {@link #freshPostgres(String)}).
	 */
	public static ProcessDatabase ofTheRun(String purpose) {
		return (TestDatabase.current() == TestDatabase.POSTGRES) ? freshPostgres(purpose) : h2();
	}

	/**
	 * A new, empty PostgreSQL database. Its name is {@code purpose}, prefixed by {@code SMP_TEST_POSTGRES_DATABASE}
	 * when that is set, so that test runs side by side on one server stay apart.
	 */
	public static ProcessDatabase freshPostgres(String purpose) {
		String prefix = System.getenv("SMP_TEST_POSTGRES_DATABASE");
		String name = (prefix == null || prefix.isEmpty()) ? purpose : prefix + "_" + purpose;
		try {
			execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
			execute("CREATE DATABASE " + name);
		}
		catch (SQLException ex) {
			if ("true".equalsIgnoreCase(System.getenv("CI"))) {
				throw new IllegalStateException(
						"PostgreSQL is required on CI but is not reachable at " + TestEnvironments.serverUrl(), ex);
			}
			System.err.println("WARNING: PostgreSQL is not reachable at " + TestEnvironments.serverUrl() + ": a test on "
					+ purpose + " is SKIPPED (" + ex.getMessage() + ")");
			Assumptions.abort("PostgreSQL not reachable");
		}
		return new ProcessDatabase(name);
	}

	public boolean isPostgres() {
		return this.postgresDatabase != null;
	}

	/** The JDBC URL of this PostgreSQL database. */
	public String jdbcUrl() {
		if (this.postgresDatabase == null) {
			throw new IllegalStateException("Not a PostgreSQL database");
		}
		return TestEnvironments.serverUrl() + this.postgresDatabase;
	}

	/** The {@code --spring.datasource.*} arguments for a server or a command on this database. */
	public List<String> arguments() {
		if (this.postgresDatabase == null) {
			return List.of();
		}
		return List.of("--spring.datasource.url=" + jdbcUrl(),
				"--spring.datasource.username=" + TestEnvironments.user(),
				"--spring.datasource.password=" + TestEnvironments.password());
	}

	/** The first column of the rows a query on this PostgreSQL database returns, as text. */
	public List<String> column(String sql, Object... parameters) {
		try (Connection connection = DriverManager.getConnection(jdbcUrl(), TestEnvironments.user(),
				TestEnvironments.password()); PreparedStatement statement = connection.prepareStatement(sql)) {
			for (int i = 0; i < parameters.length; i++) {
				statement.setObject(i + 1, parameters[i]);
			}
			List<String> values = new ArrayList<>();
			try (ResultSet rows = statement.executeQuery()) {
				while (rows.next()) {
					values.add(rows.getString(1));
				}
			}
			return values;
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws SQLException {
		if (this.postgresDatabase != null) {
			execute("DROP DATABASE IF EXISTS " + this.postgresDatabase + " WITH (FORCE)");
		}
	}

	private static void execute(String sql) throws SQLException {
		try (Connection connection = DriverManager.getConnection(TestEnvironments.serverUrl() + "postgres",
				TestEnvironments.user(), TestEnvironments.password());
				Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
	}

}
