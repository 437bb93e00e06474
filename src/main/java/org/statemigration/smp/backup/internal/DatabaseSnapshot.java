package org.statemigration.smp.backup.internal;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.api.MigrationVersion;

import org.statemigration.smp.backup.internal.Manifest.FileEntry;
import org.statemigration.smp.backup.internal.Manifest.TableEntry;
import org.statemigration.smp.backup.internal.Manifest.UploadEntry;

import org.springframework.stereotype.Component;

/**
 * Dumps every table that holds state in one read-only transaction, so that the tables agree with each other as
 * they did at one moment: on PostgreSQL at REPEATABLE READ, whose snapshot covers every table; on H2 at SNAPSHOT,
 * since H2's REPEATABLE READ takes each table's snapshot when the transaction first reads it.
 */
@Component
class DatabaseSnapshot {

	/** H2's isolation level SNAPSHOT ({@code org.h2.engine.Constants.TRANSACTION_SNAPSHOT}). */
	private static final int H2_SNAPSHOT = 6;

	private final DataSource dataSource;

	DatabaseSnapshot(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** A committed version of the snapshot, whose blob the backup copies. */
	record CommittedVersion(UUID associationId, UUID storeId, String location) {
	}

	/** What a snapshot wrote and found. */
	record Taken(String database, String schemaVersion, long auditHead, List<TableEntry> tables,
			List<FileEntry> files, List<CommittedVersion> committed, List<UploadEntry> uploading) {
	}

	Taken take(Path folder) throws IOException {
		try (Connection connection = this.dataSource.getConnection()) {
			String database = connection.getMetaData().getDatabaseProductName();
			connection.setAutoCommit(false);
			connection.setReadOnly(true);
			connection.setTransactionIsolation(
					database.contains("H2") ? H2_SNAPSHOT : Connection.TRANSACTION_REPEATABLE_READ);
			try {
				Taken taken = take(connection, database, folder);
				connection.commit();
				return taken;
			}
			finally {
				connection.rollback();
				connection.setAutoCommit(true);
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Cannot read the database: " + ex.getMessage(), ex);
		}
	}

	private Taken take(Connection connection, String database, Path folder) throws SQLException, IOException {
		List<String> unknown = BackupTables.unknown(column(connection,
				"SELECT table_name FROM information_schema.tables WHERE table_schema = CURRENT_SCHEMA "
						+ "AND table_type = 'BASE TABLE'"));
		if (!unknown.isEmpty()) {
			throw new IllegalStateException("This version of smp does not know whether to back up the table(s) "
					+ String.join(", ", unknown));
		}
		String schemaVersion = schemaVersion(connection);
		long auditHead = Long.parseLong(column(connection, "SELECT last_seq FROM audit_head WHERE id = 1").get(0));
		List<TableEntry> tables = new ArrayList<>();
		List<FileEntry> files = new ArrayList<>();
		Path directory = Files.createDirectories(folder.resolve("tables"));
		for (String table : BackupTables.STATE) {
			String filter = BackupTables.FILTERS.get(table);
			Path file = directory.resolve(table + ".jsonl");
			Path temporary = directory.resolve(table + ".jsonl.tmp");
			long rows;
			try (PreparedStatement query = connection
				.prepareStatement("SELECT * FROM " + table + ((filter != null) ? " WHERE " + filter : ""))) {
				// a page of rows at a time (PostgreSQL's driver reads the whole result at once without it)
				query.setFetchSize(500);
				try (ResultSet result = query.executeQuery();
						BufferedWriter out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
					rows = TableDump.write(table, result, out);
				}
			}
			BackupFolder.sync(temporary);
			BackupFolder.moveDurably(temporary, file);
			tables.add(new TableEntry(table, BackupFolder.relative(folder, file), rows));
			files.add(BackupFolder.entry(folder, file));
		}
		List<CommittedVersion> committed = new ArrayList<>();
		try (PreparedStatement query = connection
			.prepareStatement("SELECT association_id, id, folder FROM state_store WHERE status = 'COMMITTED'");
				ResultSet rows = query.executeQuery()) {
			while (rows.next()) {
				committed.add(new CommittedVersion(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
						rows.getString(3)));
			}
		}
		List<UploadEntry> uploading = new ArrayList<>();
		try (PreparedStatement query = connection
			.prepareStatement("SELECT association_id, id FROM state_store WHERE status = 'UPLOADING'");
				ResultSet rows = query.executeQuery()) {
			while (rows.next()) {
				uploading.add(new UploadEntry(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class)));
			}
		}
		return new Taken(database, schemaVersion, auditHead, tables, files, committed, uploading);
	}

	/** The newest version Flyway applied successfully. */
	static String schemaVersion(Connection connection) throws SQLException {
		return column(connection, "SELECT version FROM flyway_schema_history WHERE success = TRUE AND version IS NOT NULL")
			.stream()
			.map(MigrationVersion::fromVersion)
			.max(MigrationVersion::compareTo)
			.map(MigrationVersion::getVersion)
			.orElseThrow(() -> new IllegalStateException("The database has no schema version"));
	}

	private static List<String> column(Connection connection, String sql) throws SQLException {
		List<String> values = new ArrayList<>();
		try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
			while (rows.next()) {
				values.add(rows.getString(1));
			}
		}
		return values;
	}

}
