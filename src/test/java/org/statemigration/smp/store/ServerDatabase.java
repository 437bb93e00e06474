package org.statemigration.smp.store;

import java.nio.file.Path;
import java.util.List;
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

	ServerDatabase(Path dataDir) {
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

	/** File names of the association's committed versions (at most one). */
	List<String> committedFiles(String associationId) {
		return this.jdbc.sql("SELECT file_name FROM state_store WHERE association_id = ? AND status = 'COMMITTED'")
			.param(UUID.fromString(associationId))
			.query(String.class)
			.list();
	}

}
