package org.statemigration.smp.store.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What a server holds on behalf of its requests: the reservations of single-request uploads and the leases of
 * resumable uploads. Each release is a conditional statement on the row as it was read, so that one made by
 * several servers at once, or racing with a request that takes the row anew, changes nothing twice.
 */
@Repository
public class StrandedRepository {

	private final JdbcClient jdbc;

	public StrandedRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The server's reservations that hold a single-request upload (client slots and resumable uploads' reservations
	 * outlive requests, and are not among them).
	 */
	public List<HeldReservation> uploadReservationsOf(String nodeId) {
		return this.jdbc.sql("""
				SELECT id, store_id FROM storage_reservation WHERE node_id = ? AND store_id IS NOT NULL
				AND NOT EXISTS (SELECT 1 FROM resumable_upload u WHERE u.store_id = storage_reservation.store_id)""")
			.param(nodeId)
			.query((rs, row) -> new HeldReservation(rs.getObject("id", UUID.class), rs.getObject("store_id", UUID.class)))
			.list();
	}

	/** Releases the reservation if it still holds that upload for that server. */
	public boolean releaseReservation(HeldReservation reservation, String nodeId) {
		return this.jdbc.sql("DELETE FROM storage_reservation WHERE id = ? AND store_id = ? AND node_id = ?")
			.params(reservation.id(), reservation.storeId(), nodeId)
			.update() == 1;
	}

	/** The resumable uploads whose lease the server holds. */
	public List<HeldLease> leasesOf(String nodeId) {
		return this.jdbc.sql("SELECT store_id, lease_until FROM resumable_upload WHERE lease_node = ?")
			.param(nodeId)
			.query((rs, row) -> new HeldLease(rs.getObject("store_id", UUID.class),
					rs.getObject("lease_until", OffsetDateTime.class).toInstant()))
			.list();
	}

	/** Gives the lease back if it is still the one that was read: a request that took it anew keeps it. */
	public boolean releaseLease(HeldLease lease, String nodeId) {
		return this.jdbc.sql("""
				UPDATE resumable_upload SET lease_node = NULL, lease_until = NULL
				WHERE store_id = ? AND lease_node = ? AND lease_until = ?""")
			.params(lease.storeId(), nodeId, lease.until().atOffset(ZoneOffset.UTC))
			.update() == 1;
	}

	/** A reservation held for an upload. */
	public record HeldReservation(UUID id, UUID storeId) {
	}

	/** A resumable upload's lease. */
	public record HeldLease(UUID storeId, Instant until) {
	}

}
