package org.statemigration.smp.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * Empty databases on the database of the run ({@link TestDatabase}) for tests that use one from the test JVM, with
 * no server: on H2 a new in-memory database each time; on PostgreSQL a database of the test class's own (named
 * {@code purpose}, see {@link ProcessDatabase#freshPostgres(String)}), emptied each time and dropped after the
 * class. A static {@code @RegisterExtension} field.
 */
public final class EmptyDatabases implements BeforeAllCallback, AfterAllCallback {

	private final String purpose;

	private ProcessDatabase database;

	public EmptyDatabases(String purpose) {
		this.purpose = purpose;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		this.database = ProcessDatabase.ofTheRun(this.purpose);
	}

	@Override
	public void afterAll(ExtensionContext context) throws SQLException {
		if (this.database != null) {
			this.database.close();
			this.database = null;
		}
	}

	/** An empty database for one test, with smp's schema: every migration of {@code db/migration} applied. */
	public DataSource migrated() {
		DataSource database = empty();
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		return database;
	}

	/** An empty database for one test. */
	public DataSource empty() {
		if (!this.database.isPostgres()) {
			return new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
					+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
		}
		DataSource source = new SimpleDriverDataSource(new org.postgresql.Driver(), this.database.jdbcUrl(),
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
