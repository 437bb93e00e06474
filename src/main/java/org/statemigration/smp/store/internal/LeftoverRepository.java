package org.statemigration.smp.store.internal;

import java.util.List;
import java.util.UUID;

import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The rows that start-up reconciliation reads and removes: uploads that died with this server's previous process,
 * their reservations, and which files a row still names.
 */
@Repository
public class LeftoverRepository {

	private final JdbcClient jdbc;

	public LeftoverRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Versions this server was uploading in a single request when it stopped; nothing can finish them now.
	 * Resumable uploads are not among them: their clients resume them.
	 */
	public List<StoredFile> uploadsOf(String nodeId) {
		return this.jdbc.sql("""
				SELECT id, association_id, folder, file_name FROM state_store
				WHERE status = 'UPLOADING' AND node_id = ?
				AND NOT EXISTS (SELECT 1 FROM resumable_upload u WHERE u.store_id = state_store.id)""")
			.param(nodeId)
			.query((rs, row) -> new StoredFile(rs.getObject("id", UUID.class),
					rs.getObject("association_id", UUID.class), rs.getString("folder"), rs.getString("file_name"),
					null))
			.list();
	}

	/** Removes a dead upload's row (which destroys its data key) and its reservation. */
	public void deleteUpload(UUID storeId) {
		this.jdbc.sql("DELETE FROM storage_reservation WHERE store_id = ?").param(storeId).update();
		this.jdbc.sql("DELETE FROM state_store WHERE id = ? AND status = 'UPLOADING'").param(storeId).update();
	}

	/**
	 * Releases this server's upload reservations, including those whose upload died before its row was written.
	 * Client slots (no store yet) stay: the capture they belong to may go on; so do the reservations of resumable
	 * uploads, which their clients resume (their expiry discards them otherwise).
	 */
	public int releaseUploadReservationsOf(String nodeId) {
		return this.jdbc.sql("""
				DELETE FROM storage_reservation WHERE node_id = ? AND store_id IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM resumable_upload u WHERE u.store_id = storage_reservation.store_id)""")
			.param(nodeId)
			.update();
	}

	/** Whether a row in one of the statuses names this version of the association. */
	public boolean names(UUID associationId, UUID storeId, List<String> statuses) {
		return this.jdbc.sql("""
				SELECT COUNT(*) FROM state_store WHERE id = :id AND association_id = :association
				AND status IN (:statuses)""")
			.param("id", storeId)
			.param("association", associationId)
			.param("statuses", statuses)
			.query(Long.class)
			.single() > 0;
	}

}
