package org.statemigration.smp.backup.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationVersion;

import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditProperties;
import org.statemigration.smp.audit.AuditTrail;
import org.statemigration.smp.audit.AuditVerification;
import org.statemigration.smp.backup.internal.Manifest.StoreEntry;
import org.statemigration.smp.backup.internal.Manifest.TableEntry;
import org.statemigration.smp.crypto.OwnerOnlyFiles;
import org.statemigration.smp.store.CommittedBlobs;

import org.springframework.stereotype.Component;

/**
 * Restores a checked backup into an empty database and empty storage locations, in an application context whose
 * Flyway migrated the schema to the backup's version: the blobs first (into the location each version records if
 * this server has it, else its first location), then every table in one transaction, the identity columns moved
 * past the loaded ids, the schema migrated to this version's, the audit file, and last an audit event recording the
 * restore, after which the chain must verify.
 */
@Component
public class BackupRestorer {

	static final String ACTION = "backup.restore";

	private final DataSource dataSource;

	private final CommittedBlobs blobs;

	private final Flyway flyway;

	private final AuditProperties auditProperties;

	private final AuditLog audit;

	private final AuditTrail trail;

	BackupRestorer(DataSource dataSource, CommittedBlobs blobs, Flyway flyway, AuditProperties auditProperties,
			AuditLog audit, AuditTrail trail) {
		this.dataSource = dataSource;
		this.blobs = blobs;
		this.flyway = flyway;
		this.auditProperties = auditProperties;
		this.audit = audit;
		this.trail = trail;
	}

	/**
	 * Refuses a target that is not empty, before anything is written.
	 * @throws TargetNotEmptyException naming what it holds
	 */
	public void checkEmpty() {
		Path auditFile = this.auditProperties.file();
		try {
			if (Files.exists(auditFile) && Files.size(auditFile) > 0) {
				throw new TargetNotEmptyException("The audit file " + auditFile + " exists");
			}
			try (Connection connection = this.dataSource.getConnection()) {
				for (String table : BackupTables.STATE) {
					if (table.equals("client_ca")) {
						continue;
					}
					String sql = table.equals("audit_head") ? "SELECT COUNT(*) FROM audit_head WHERE last_seq > 0"
							: "SELECT COUNT(*) FROM " + table;
					try (PreparedStatement query = connection.prepareStatement(sql);
							ResultSet rows = query.executeQuery()) {
						rows.next();
						if (rows.getLong(1) > 0) {
							throw new TargetNotEmptyException("The database is not empty: table " + table + " has rows");
						}
					}
				}
			}
		}
		catch (IOException | SQLException ex) {
			throw new IllegalStateException("Cannot look into the target: " + ex.getMessage(), ex);
		}
	}

	/** Restores the backup in the folder, whose manifest was checked. */
	public AuditVerification restore(Path folder, Manifest manifest, Progress progress) throws IOException {
		Map<UUID, String> relocated = putBlobs(folder, manifest, progress);
		progress.say("Loading " + manifest.tables().size() + " tables");
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try {
				load(connection, folder, manifest);
				for (Map.Entry<UUID, String> entry : relocated.entrySet()) {
					try (PreparedStatement update = connection
						.prepareStatement("UPDATE state_store SET folder = ? WHERE id = ?")) {
						update.setString(1, entry.getValue());
						update.setObject(2, entry.getKey());
						update.executeUpdate();
					}
				}
				connection.commit();
			}
			catch (SQLException | IOException | RuntimeException ex) {
				connection.rollback();
				throw ex;
			}
			finally {
				connection.setAutoCommit(true);
			}
			IdentityColumns.movePast(connection, manifest.tables().stream().map(TableEntry::name).toList());
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot load the tables: " + ex.getMessage(), ex);
		}
		// a backup of an older schema was loaded at its version; this brings it to this version's (none if current)
		Flyway.configure(this.flyway.getConfiguration().getClassLoader())
			.configuration(this.flyway.getConfiguration())
			.target(MigrationVersion.LATEST)
			.load()
			.migrate();
		restoreAuditFile(folder, manifest);
		this.audit.recordAlone("system", ACTION, "backup of " + manifest.createdAt(), AuditOutcome.SUCCESS,
				"schema " + manifest.schemaVersion() + ", " + manifest.tables().size() + " tables, "
						+ manifest.stores().size() + " state store(s) (" + relocated.size() + " into another location), "
						+ manifest.uploadsNotIncluded().size() + " upload(s) in progress not included");
		return this.trail.verify();
	}

	private Map<UUID, String> putBlobs(Path folder, Manifest manifest, Progress progress) throws IOException {
		Map<UUID, String> relocated = new LinkedHashMap<>();
		long total = manifest.stores().stream().mapToLong(StoreEntry::size).sum();
		progress.start("Restoring " + manifest.stores().size() + " state store(s)", total);
		try {
			for (StoreEntry store : manifest.stores()) {
				String place = this.blobs.placeFor(store.location());
				try (InputStream in = new CountingInputStream(
						Files.newInputStream(BackupFolder.resolveInside(folder, store.file())), progress::advance)) {
					this.blobs.put(place, store.associationId(), store.storeId(), in);
				}
				if (!place.equals(store.location())) {
					relocated.put(store.storeId(), place);
				}
			}
		}
		finally {
			progress.finish();
		}
		return relocated;
	}

	private static void load(Connection connection, Path folder, Manifest manifest) throws SQLException, IOException {
		for (String table : BackupTables.REPLACED) {
			try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table)) {
				delete.executeUpdate();
			}
		}
		List<TableEntry> ordered = new ArrayList<>();
		for (String table : BackupTables.STATE) {
			manifest.tables().stream().filter((entry) -> entry.name().equals(table)).forEach(ordered::add);
		}
		for (TableEntry table : ordered) {
			try (BufferedReader in = Files.newBufferedReader(BackupFolder.resolveInside(folder, table.file()),
					StandardCharsets.UTF_8)) {
				long rows = TableDump.load(connection, in);
				if (rows != table.rows()) {
					throw new IllegalStateException(
							"Table " + table.name() + " has " + rows + " rows, the manifest says " + table.rows());
				}
			}
		}
	}

	private void restoreAuditFile(Path folder, Manifest manifest) throws IOException {
		boolean listed = manifest.files().stream().anyMatch((file) -> file.path().equals(AuditFileCopy.PATH));
		if (!listed) {
			return;
		}
		Path target = this.auditProperties.file().toAbsolutePath().normalize();
		OwnerOnlyFiles.createPrivateDirectory(target.getParent());
		// a temporary file is created owner-only, like the audit file the server creates
		Path temporary = Files.createTempFile(target.getParent(), ".audit.", ".tmp");
		try {
			Files.copy(folder.resolve(AuditFileCopy.PATH), temporary, StandardCopyOption.REPLACE_EXISTING);
			BackupFolder.sync(temporary);
			BackupFolder.moveDurably(temporary, target);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/** A target that already holds data: nothing was changed. */
	public static class TargetNotEmptyException extends RuntimeException {

		TargetNotEmptyException(String message) {
			super(message + "; restore-backup needs an empty data directory and an empty database");
		}

	}

}
