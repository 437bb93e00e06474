package org.statemigration.smp.store.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Rows of resumable uploads, read together with their version (which must still be uploading) and their
 * reservation (whose expiry is the upload's). The lease is taken and given back with single conditional updates,
 * so that it works the same from any server without holding a transaction open while bytes stream.
 */
@Repository
public class ResumableUploadRepository {

	private final JdbcClient jdbc;

	public ResumableUploadRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(UUID storeId, UUID associationId, long length, String expectedSha256, Instant now) {
		this.jdbc.sql("""
				INSERT INTO resumable_upload (store_id, association_id, upload_length, upload_offset, expected_sha256,
				    created_at)
				VALUES (?, ?, ?, 0, ?, ?)""")
			.params(storeId, associationId, length, expectedSha256, now.atOffset(ZoneOffset.UTC))
			.update();
	}

	/** The upload, if its version is still uploading; its expiry is empty once its reservation is gone. */
	public Optional<Row> find(UUID storeId) {
		return this.jdbc.sql("""
				SELECT u.store_id, u.association_id, u.upload_length, u.upload_offset, u.expected_sha256, s.version,
				    s.folder, s.file_name, s.data_key_wrapped, r.id AS reservation_id, r.bytes AS reserved,
				    r.expires_at
				FROM resumable_upload u
				JOIN state_store s ON s.id = u.store_id AND s.status = 'UPLOADING'
				LEFT JOIN storage_reservation r ON r.store_id = u.store_id
				WHERE u.store_id = ?""")
			.param(storeId)
			.query(ResumableUploadRepository::map)
			.optional();
	}

	/**
	 * Takes the lease for a request that goes on from {@code offset}, unless another request holds it.
	 * @return whether this request now holds it
	 */
	public boolean lease(UUID storeId, long offset, String nodeId, Instant now, Instant until) {
		return this.jdbc.sql("""
				UPDATE resumable_upload SET lease_node = ?, lease_until = ?
				WHERE store_id = ? AND upload_offset = ? AND (lease_until IS NULL OR lease_until < ?)""")
			.params(nodeId, until.atOffset(ZoneOffset.UTC), storeId, offset, now.atOffset(ZoneOffset.UTC))
			.update() == 1;
	}

	public void renewLease(UUID storeId, String nodeId, Instant until) {
		this.jdbc.sql("UPDATE resumable_upload SET lease_until = ? WHERE store_id = ? AND lease_node = ?")
			.params(until.atOffset(ZoneOffset.UTC), storeId, nodeId)
			.update();
	}

	/** Moves the offset on (the bytes up to it are durable) and gives the lease back. */
	public boolean advance(UUID storeId, long from, long to) {
		return this.jdbc.sql("""
				UPDATE resumable_upload SET upload_offset = ?, lease_node = NULL, lease_until = NULL
				WHERE store_id = ? AND upload_offset = ?""")
			.params(to, storeId, from)
			.update() == 1;
	}

	/**
	 * Moves the offset on for the request that holds the lease, which keeps it: the roll-forward over segments
	 * that a request which ended early wrote.
	 */
	public boolean rollForward(UUID storeId, long from, long to, String nodeId) {
		return this.jdbc.sql("""
				UPDATE resumable_upload SET upload_offset = ?
				WHERE store_id = ? AND upload_offset = ? AND lease_node = ?""")
			.params(to, storeId, from, nodeId)
			.update() == 1;
	}

	/** Gives back this server's lease; one that another server took meanwhile stays. */
	public void release(UUID storeId, String nodeId) {
		this.jdbc.sql("""
				UPDATE resumable_upload SET lease_node = NULL, lease_until = NULL
				WHERE store_id = ? AND lease_node = ?""")
			.params(storeId, nodeId)
			.update();
	}

	/** Gives back the leases a server held when it stopped: the requests that held them died with it. */
	public int releaseLeasesOf(String nodeId) {
		return this.jdbc.sql("UPDATE resumable_upload SET lease_node = NULL, lease_until = NULL WHERE lease_node = ?")
			.param(nodeId)
			.update();
	}

	/**
	 * Removes an upload's version (and with it this row), if it is still uploading: a version that was committed
	 * meanwhile stays.
	 * @return whether it was removed
	 */
	public boolean deleteUploading(UUID storeId) {
		return this.jdbc.sql("DELETE FROM state_store WHERE id = ? AND status = 'UPLOADING'").param(storeId).update() == 1;
	}

	public void delete(UUID storeId) {
		this.jdbc.sql("DELETE FROM resumable_upload WHERE store_id = ?").param(storeId).update();
	}

	private static Row map(ResultSet rs, int row) throws SQLException {
		OffsetDateTime expires = rs.getObject("expires_at", OffsetDateTime.class);
		UUID reservation = rs.getObject("reservation_id", UUID.class);
		return new Row(rs.getObject("store_id", UUID.class), rs.getObject("association_id", UUID.class),
				rs.getLong("upload_length"), rs.getLong("upload_offset"), rs.getString("expected_sha256"),
				rs.getLong("version"), rs.getString("folder"), rs.getBytes("data_key_wrapped"), reservation,
				(reservation != null) ? rs.getLong("reserved") : 0, (expires != null) ? expires.toInstant() : null);
	}

	/** An upload as stored. */
	public record Row(UUID id, UUID associationId, long length, long offset, String expectedSha256, long version,
			String folder, byte[] wrappedKey, UUID reservationId, long reservedBytes, Instant expiresAt) {
	}

}
