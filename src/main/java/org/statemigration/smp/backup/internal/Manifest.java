package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a backup holds, written last as {@value #FILE_NAME}: the schema version its tables were dumped at, the
 * tables with their row counts, the committed versions whose blobs it holds, what it leaves out and why, and every
 * file with its size and SHA-256, which a restore checks before it changes anything. A folder without it is an
 * unfinished backup.
 * @param format the manifest's own format; a restore refuses a newer one
 * @param schemaVersion the Flyway version of the schema the tables were dumped at
 * @param auditHead the sequence number of the newest audit event in the snapshot
 * @param keyVersion the newest key-encryption key version at the backup
 * @param keyCheck a one-way value derived from that key version, by which a restore knows the right master key
 * @param keysFile the encrypted keys ({@code --include-keys}), or null when the master key is kept elsewhere
 */
record Manifest(int format, String createdAt, String smpVersion, String database, String schemaVersion,
		long auditHead, int keyVersion, String keyCheck, String keysFile, List<TableEntry> tables,
		List<StoreEntry> stores, List<UploadEntry> uploadsNotIncluded, List<LeftOut> leftOut, List<FileEntry> files) {

	static final String FILE_NAME = "manifest.json";

	static final int FORMAT = 1;

	private static final JsonMapper json = JsonMapper.builder()
		.enable(SerializationFeature.INDENT_OUTPUT)
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	/** A dumped table: its file and how many rows it holds. */
	record TableEntry(String name, String file, long rows) {
	}

	/** A committed version whose blob the backup holds, and the location it was copied from. */
	record StoreEntry(UUID associationId, UUID storeId, String location, String file, long size) {
	}

	/** A version that was being uploaded at the snapshot: neither its row nor its blob is in the backup. */
	record UploadEntry(UUID associationId, UUID storeId) {
	}

	/** A table, or a kind of file, that the backup leaves out, and why. */
	record LeftOut(String what, String why) {
	}

	/** A file of the backup, its path relative to the backup's folder with '/' between names. */
	record FileEntry(String path, long size, String sha256) {
	}

	boolean includesKeys() {
		return this.keysFile != null;
	}

	void write(Path folder) throws IOException {
		Path temporary = folder.resolve(FILE_NAME + ".tmp");
		Files.write(temporary, json.writeValueAsBytes(this));
		BackupFolder.sync(temporary);
		BackupFolder.moveDurably(temporary, folder.resolve(FILE_NAME));
	}

	/**
	 * Reads a manifest.
	 * @throws BackupRefusedException if it cannot be read
	 */
	static Manifest read(Path file) throws IOException {
		try {
			return json.readValue(Files.readAllBytes(file), Manifest.class);
		}
		catch (JacksonException ex) {
			throw new BackupRefusedException(file + " cannot be read: " + ex.getOriginalMessage());
		}
	}

}
