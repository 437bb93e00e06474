package org.statemigration.smp.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/**
 * The H2 database of a server process, opened from the test while the server runs (H2's automatic mixed mode), to
 * check what no endpoint shows: uploading rows and upload reservations. Each query takes a connection of its own,
 * so the test never holds the database when the server is stopped.
 */
final class ServerDatabase {

	private final JdbcClient jdbc;

	private final Path dataDir;

	ServerDatabase(Path dataDir) {
		this.dataDir = dataDir;
		this.jdbc = JdbcClient.create(new SimpleDriverDataSource(new org.h2.Driver(), url(dataDir), "smp", ""));
	}

	/** The server's command-line argument that lets this class open the database beside it. */
	static String argument(Path dataDir) {
		return "--spring.datasource.url=" + url(dataDir);
	}

	/** The server's own URL (application.yml) with automatic mixed mode added. */
	private static String url(Path dataDir) {
		return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db/smp")
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0;AUTO_SERVER=TRUE";
	}

	/** Versions of any association that are still being uploaded. */
	long uploading() {
		return this.jdbc.sql("SELECT COUNT(*) FROM state_store WHERE status = 'UPLOADING'").query(Long.class).single();
	}

	/** Reservations held for uploads (not the client slots of requested captures). */
	long uploadReservations() {
		return this.jdbc.sql("SELECT COUNT(*) FROM storage_reservation WHERE store_id IS NOT NULL")
			.query(Long.class)
			.single();
	}

	/**
	 * Locks an upload's row in a transaction of its own until closed, or until the server process dies (the
	 * connection goes through it): a commit of the upload waits meanwhile.
	 */
	AutoCloseable lockUpload(String uploadId) throws SQLException {
		Connection connection = new org.h2.Driver().connect(url(this.dataDir), credentials());
		try {
			connection.setAutoCommit(false);
			try (PreparedStatement lock = connection
				.prepareStatement("SELECT upload_offset FROM resumable_upload WHERE store_id = ? FOR UPDATE")) {
				lock.setObject(1, UUID.fromString(uploadId));
				try (ResultSet row = lock.executeQuery()) {
					if (!row.next()) {
						throw new IllegalStateException("No upload " + uploadId);
					}
				}
			}
			return () -> {
				try (connection) {
					connection.rollback();
				}
				catch (SQLException ex) {
					// the server that hosted the connection is gone, and the lock with it
				}
			};
		}
		catch (SQLException | RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	private static Properties credentials() {
		Properties properties = new Properties();
		properties.setProperty("user", "smp");
		properties.setProperty("password", "");
		return properties;
	}

	/** File names of the association's committed versions (at most one). */
	List<String> committedFiles(String associationId) {
		return this.jdbc.sql("SELECT file_name FROM state_store WHERE association_id = ? AND status = 'COMMITTED'")
			.param(UUID.fromString(associationId))
			.query(String.class)
			.list();
	}

}
