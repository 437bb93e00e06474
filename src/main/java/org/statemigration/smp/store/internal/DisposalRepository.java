package org.statemigration.smp.store.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What cleanup reads and removes: expired reservations, uploads that were never finished, and the rows of
 * versions whose data is gone. The {@code claim} queries lock one row with {@code SKIP LOCKED}, so that servers
 * cleaning up at the same time pass over each other's rows instead of waiting for them.
 */
@Repository
public class DisposalRepository {

	private static final String ORPHANED_UPLOAD = """
			status = 'UPLOADING' AND created_at < ?
			AND NOT EXISTS (SELECT 1 FROM storage_reservation r WHERE r.store_id = state_store.id)""";

	private final JdbcClient jdbc;

	public DisposalRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Reservations whose holder has been idle until past their expiry, oldest first. */
	public List<UUID> expiredReservations(Instant now, int limit) {
		return this.jdbc.sql("SELECT id FROM storage_reservation WHERE expires_at < ? ORDER BY expires_at, id FETCH FIRST "
				+ limit + " ROWS ONLY")
			.param(now.atOffset(ZoneOffset.UTC))
			.query(UUID.class)
			.list();
	}

	/**
	 * Locks the reservation if it is still expired and no other transaction holds it; returns the upload it
	 * holds (empty optional inside when it holds none), or empty when it cannot be claimed.
	 */
	public Optional<Optional<UUID>> claimExpiredReservation(UUID id, Instant now) {
		return this.jdbc.sql("SELECT store_id FROM storage_reservation WHERE id = ? AND expires_at < ? FOR UPDATE SKIP LOCKED")
			.params(id, now.atOffset(ZoneOffset.UTC))
			.query((rs, row) -> Optional.ofNullable(rs.getObject("store_id", UUID.class)))
			.optional();
	}

	/** Releases the reservations that hold this upload. */
	public void deleteReservationsOf(UUID storeId) {
		this.jdbc.sql("DELETE FROM storage_reservation WHERE store_id = ?").param(storeId).update();
	}

	public void deleteReservation(UUID id) {
		this.jdbc.sql("DELETE FROM storage_reservation WHERE id = ?").param(id).update();
	}

	/** Uploads started before the cutoff that no reservation keeps alive any more, oldest first. */
	public List<UUID> orphanedUploads(Instant cutoff, int limit) {
		return this.jdbc.sql("SELECT id FROM state_store WHERE " + ORPHANED_UPLOAD
				+ " ORDER BY created_at, id FETCH FIRST " + limit + " ROWS ONLY")
			.param(cutoff.atOffset(ZoneOffset.UTC))
			.query(UUID.class)
			.list();
	}

	/** Locks the version if it is still an orphaned upload and no other transaction holds it. */
	public Optional<StoredFile> claimOrphanedUpload(UUID id, Instant cutoff) {
		return this.jdbc.sql("SELECT id, association_id, folder, file_name FROM state_store WHERE id = ? AND "
				+ ORPHANED_UPLOAD + " FOR UPDATE SKIP LOCKED")
			.params(id, cutoff.atOffset(ZoneOffset.UTC))
			.query(DisposalRepository::file)
			.optional();
	}

	/** Locks the version if it is still uploading and no other transaction holds it. */
	public Optional<StoredFile> claimUpload(UUID id) {
		return this.jdbc.sql("""
				SELECT id, association_id, folder, file_name FROM state_store WHERE id = ? AND status = 'UPLOADING'
				FOR UPDATE SKIP LOCKED""")
			.param(id)
			.query(DisposalRepository::file)
			.optional();
	}

	public void deleteVersion(UUID id) {
		this.jdbc.sql("DELETE FROM state_store WHERE id = ?").param(id).update();
	}

	/** Removes the rows of every version of the association; call it only once their data is destroyed. */
	public void deleteVersionsOf(UUID associationId) {
		this.jdbc.sql("DELETE FROM state_store WHERE association_id = ? AND status = 'DELETED' AND data_key_wrapped IS NULL")
			.param(associationId)
			.update();
	}

	private static StoredFile file(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new StoredFile(rs.getObject("id", UUID.class), rs.getObject("association_id", UUID.class),
				rs.getString("folder"), rs.getString("file_name"), null);
	}

}
