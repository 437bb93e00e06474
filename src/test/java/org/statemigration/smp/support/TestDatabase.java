package org.statemigration.smp.support;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;

/**
 * The database of a test run: the one that the shared test server ({@link IntegrationTest}) and the tests marked
 * {@link OnBothDatabases} use. H2, unless the system property {@code smp.test.database} is {@code postgres}, as in
 * the pom's second failsafe execution. Tests that are about one database in particular open it themselves
 * ({@link ProcessDatabase}) and run once: on the H2 run, or on the PostgreSQL run if they need PostgreSQL
 * ({@link NeedsPostgres}).
 */
public enum TestDatabase {

	H2("h2"),

	POSTGRES("postgres");

	/** The system property that names the database of the run: {@code h2} (the default) or {@code postgres}. */
	public static final String PROPERTY = "smp.test.database";

	/**
	 * The shared test server's data dir, as a property value: one per database, so that after a build both runs'
	 * files are there to look at.
	 */
	static final String DATA_DIR = "target/it-data/${" + PROPERTY + ":h2}";

	private final String id;

	TestDatabase(String id) {
		this.id = id;
	}

	/** The database of this run. */
	public static TestDatabase current() {
		String id = System.getProperty(PROPERTY, H2.id).strip().toLowerCase(Locale.ROOT);
		for (TestDatabase database : values()) {
			if (database.id.equals(id)) {
				return database;
			}
		}
		throw new IllegalStateException(PROPERTY + " must be h2 or postgres, not " + id);
	}

	/** The data dir of the shared test server on this database ({@link #DATA_DIR} once resolved). */
	Path dataDir() {
		return Path.of("target/it-data", this.id);
	}

	/**
	 * Puts the shared test server on the PostgreSQL database that {@link TestEnvironments} created for the run; on
	 * H2 it leaves the embedded database of {@code application.yml}. The data dir cannot be set here: the server's
	 * TLS material is made in it before any initializer runs.
	 */
	static final class DataSourceInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			if (current() == POSTGRES) {
				Map<String, Object> dataSource = Map.of(
						"spring.datasource.url", TestEnvironments.serverUrl() + TestEnvironments.POSTGRES_DATABASE,
						"spring.datasource.username", TestEnvironments.user(),
						"spring.datasource.password", TestEnvironments.password());
				context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("smp test database", dataSource));
			}
		}

	}

}
