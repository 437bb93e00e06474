package org.statemigration.smp.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.TestEnvironments;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Stranded uploads on PostgreSQL (where {@code SMP_TEST_POSTGRES_URL} points, by default the local server), in a
 * database of its own that is dropped afterwards; each test empties it first. Skipped when PostgreSQL is not
 * reachable, except under {@code CI=true}.
 */
class StrandedUploadsOnPostgresTests extends StrandedUploadsTests {

	private static ProcessDatabase database;

	@BeforeAll
	static void createDatabase() {
		database = ProcessDatabase.freshPostgres("smp_stranded");
	}

	@AfterAll
	static void dropDatabase() throws SQLException {
		if (database != null) {
			database.close();
		}
	}

	@Override
	DataSource emptyDatabase() {
		DataSource source = new SimpleDriverDataSource(new org.postgresql.Driver(), database.jdbcUrl(),
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

}
