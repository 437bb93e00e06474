package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.api.MigrationVersion;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/** The newest schema version this build's migrations create, known before any database is opened. */
final class SchemaVersions {

	private static final Pattern MIGRATION = Pattern.compile("V([0-9._]+)__.*\\.sql");

	private SchemaVersions() {
	}

	static MigrationVersion newestAvailable() {
		try {
			Resource[] migrations = new PathMatchingResourcePatternResolver()
				.getResources("classpath*:db/migration/V*__*.sql");
			return Arrays.stream(migrations)
				.map(Resource::getFilename)
				.map((name) -> (name != null) ? MIGRATION.matcher(name) : null)
				.filter((matcher) -> matcher != null && matcher.matches())
				.map((Matcher matcher) -> MigrationVersion.fromVersion(matcher.group(1).replace('_', '.')))
				.max(MigrationVersion::compareTo)
				.orElseThrow(() -> new IllegalStateException("No migrations on the class path"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Refuses a backup whose schema is newer than this build's.
	 * @throws BackupRefusedException if it is
	 */
	static void checkRestorable(Manifest manifest) {
		MigrationVersion backup = MigrationVersion.fromVersion(manifest.schemaVersion());
		MigrationVersion newest = newestAvailable();
		if (backup.compareTo(newest) > 0) {
			throw new BackupRefusedException("The backup was taken at schema version " + manifest.schemaVersion()
					+ ", newer than this version of smp knows (" + newest.getVersion()
					+ "): restore it with that version of smp or a later one");
		}
	}

}
