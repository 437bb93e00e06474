package org.statemigration.smp.store.internal;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.store.StoredStateStore;

import org.statemigration.smp.store.blob.s3.S3Location;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Rows of stored versions: {@code UPLOADING} while written, {@code COMMITTED} for the current one,
 * {@code SUPERSEDED} once a newer one is committed and {@code DELETED} after the data was destroyed.
 */
@Repository
public class StateStoreRepository {

	private final JdbcClient jdbc;

	StateStoreRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public long nextVersion(UUID associationId) {
		return this.jdbc.sql("SELECT COALESCE(MAX(version), 0) + 1 FROM state_store WHERE association_id = ?")
			.param(associationId)
			.query(Long.class)
			.single();
	}

	public void insertUploading(UUID id, UUID associationId, long version, String folder, String fileName,
			byte[] wrappedKey, String nodeId, Instant now) {
		this.jdbc.sql("""
				INSERT INTO state_store (id, association_id, version, folder, file_name, status, data_key_wrapped,
				    node_id, created_at)
				VALUES (?, ?, ?, ?, ?, 'UPLOADING', ?, ?, ?)""")
			.params(id, associationId, version, folder, fileName, wrappedKey, nodeId, now.atOffset(ZoneOffset.UTC))
			.update();
	}

	/** Marks the association's committed versions superseded and shreds their keys; returns their files. */
	public List<StoredFile> supersede(UUID associationId) {
		List<StoredFile> files = files(associationId, "status = 'COMMITTED'");
		this.jdbc.sql("""
				UPDATE state_store SET status = 'SUPERSEDED', data_key_wrapped = NULL
				WHERE association_id = ? AND status = 'COMMITTED'""").param(associationId).update();
		return files;
	}

	public boolean commit(UUID id, long size, String sha256, Instant now) {
		return this.jdbc.sql("""
				UPDATE state_store SET status = 'COMMITTED', size_bytes = ?, sha256 = ?, committed_at = ?
				WHERE id = ? AND status = 'UPLOADING'""")
			.params(size, sha256, now.atOffset(ZoneOffset.UTC), id)
			.update() == 1;
	}

	public void delete(UUID id) {
		this.jdbc.sql("DELETE FROM state_store WHERE id = ?").param(id).update();
	}

	public Optional<StoredStateStore> current(UUID associationId) {
		return this.jdbc.sql("""
				SELECT id, association_id, version, size_bytes, sha256 FROM state_store
				WHERE association_id = ? AND status = 'COMMITTED'""")
			.param(associationId)
			.query((rs, row) -> new StoredStateStore(rs.getObject("id", UUID.class),
					rs.getObject("association_id", UUID.class), rs.getLong("version"), rs.getLong("size_bytes"),
					rs.getString("sha256")))
			.optional();
	}

	public Optional<StoredFile> file(UUID id) {
		return this.jdbc.sql("SELECT id, association_id, folder, file_name, data_key_wrapped FROM state_store WHERE id = ?")
			.param(id)
			.query((rs, row) -> new StoredFile(rs.getObject("id", UUID.class),
					rs.getObject("association_id", UUID.class), rs.getString("folder"), rs.getString("file_name"),
					rs.getBytes("data_key_wrapped")))
			.optional();
	}

	/**
	 * Destroys the data keys of every version of the association (crypto-shredding) and marks them deleted;
	 * returns their files, which no key can read any more.
	 */
	public List<StoredFile> shred(UUID associationId) {
		List<StoredFile> files = files(associationId, "status <> 'DELETED'");
		this.jdbc.sql("UPDATE state_store SET status = 'DELETED', data_key_wrapped = NULL WHERE association_id = ?")
			.param(associationId)
			.update();
		return files;
	}

	private List<StoredFile> files(UUID associationId, String condition) {
		return this.jdbc.sql("SELECT id, folder, file_name FROM state_store WHERE association_id = ? AND "
				+ condition)
			.param(associationId)
			.query((rs, row) -> new StoredFile(rs.getObject("id", UUID.class), associationId,
					rs.getString("folder"), rs.getString("file_name"), null))
			.list();
	}

	/**
	 * The committed versions in the order of their ids, after the one given (from the first when null): a page of
	 * what an integrity check goes through.
	 */
	public List<CommittedFile> committedAfter(UUID after, int limit) {
		String select = """
				SELECT id, association_id, version, size_bytes, sha256, folder, file_name, data_key_wrapped
				FROM state_store WHERE status = 'COMMITTED'""";
		JdbcClient.StatementSpec statement = (after != null)
				? this.jdbc.sql(select + " AND id > ? ORDER BY id LIMIT ?").params(after, limit)
				: this.jdbc.sql(select + " ORDER BY id LIMIT ?").param(limit);
		return statement.query((rs, row) -> committedFile(rs)).list();
	}

	/** The location and size of the committed version of each of these associations that has one. */
	public List<CommittedLocation> committedLocations(java.util.Collection<UUID> associationIds) {
		if (associationIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				SELECT association_id, folder, size_bytes FROM state_store
				WHERE status = 'COMMITTED' AND association_id IN (:ids)""")
			.param("ids", associationIds)
			.query((rs, row) -> new CommittedLocation(rs.getObject("association_id", UUID.class),
					rs.getString("folder"), rs.getLong("size_bytes")))
			.list();
	}

	public record CommittedLocation(UUID associationId, String location, long sizeBytes) {
	}

	/** How many versions are committed, and the size of their plaintext together. */
	public long[] committedTotals() {
		return this.jdbc.sql("SELECT COUNT(*), COALESCE(SUM(size_bytes), 0) FROM state_store WHERE status = 'COMMITTED'")
			.query((rs, row) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
	}

	/** A committed version, if the id names one. */
	public Optional<CommittedFile> committed(UUID id) {
		return this.jdbc.sql("""
				SELECT id, association_id, version, size_bytes, sha256, folder, file_name, data_key_wrapped
				FROM state_store WHERE status = 'COMMITTED' AND id = ?""")
			.param(id)
			.query((rs, row) -> committedFile(rs))
			.optional();
	}

	private static CommittedFile committedFile(java.sql.ResultSet rs) throws java.sql.SQLException {
		StoredStateStore store = new StoredStateStore(rs.getObject("id", UUID.class),
				rs.getObject("association_id", UUID.class), rs.getLong("version"), rs.getLong("size_bytes"),
				rs.getString("sha256"));
		return new CommittedFile(store, new StoredFile(store.id(), store.associationId(), rs.getString("folder"),
				rs.getString("file_name"), rs.getBytes("data_key_wrapped")));
	}

	/** A committed version with where its file is and its wrapped data key. */
	public record CommittedFile(StoredStateStore store, StoredFile file) {
	}

	/** Where a version's file is, and its wrapped data key when asked for. */
	public record StoredFile(UUID id, UUID associationId, String folder, String fileName, byte[] wrappedKey) {

		/** Where the blob lies, for people to read: a file's path, or an S3 object's {@code s3://} address. */
		public String path() {
			if (S3Location.isS3(this.folder)) {
				return this.folder + "/" + this.associationId + "/" + this.fileName;
			}
			return Path.of(this.folder, this.associationId.toString(), this.fileName).toString();
		}

	}

}
