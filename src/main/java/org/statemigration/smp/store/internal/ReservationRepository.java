package org.statemigration.smp.store.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;


import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Storage folder lock rows and reservations. Every change to reservations that takes room or a client slot
 * happens with the folder rows locked, in location order, so concurrent requests on any server see each other's
 * reservations; only extending a slot held already does not (see {@link #extendIdle}).
 */
@Repository
public class ReservationRepository {

	private static final String COLUMNS = "id, association_id, store_id, folder, bytes";

	private final JdbcClient jdbc;

	ReservationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void registerFolder(String location, Instant now) {
		this.jdbc.sql("INSERT INTO storage_folder (location, registered_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
			.params(location, now.atOffset(ZoneOffset.UTC))
			.update();
	}

	public void lockFolders() {
		this.jdbc.sql("SELECT location FROM storage_folder ORDER BY location FOR UPDATE").query(String.class).list();
	}

	public Optional<Reservation> find(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM storage_reservation WHERE id = ?")
			.param(id)
			.query(ReservationRepository::map)
			.optional();
	}

	/** The association's reservation that holds no upload yet, if any. */
	public Optional<Reservation> findIdle(UUID associationId, Instant now) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM storage_reservation WHERE association_id = ? AND store_id IS NULL AND expires_at > ?
				ORDER BY created_at FETCH FIRST 1 ROWS ONLY""")
			.params(associationId, now.atOffset(ZoneOffset.UTC))
			.query(ReservationRepository::map)
			.optional();
	}

	public void insert(Reservation reservation, String nodeId, Instant now, Instant expiresAt) {
		this.jdbc.sql("""
				INSERT INTO storage_reservation (id, association_id, store_id, folder, bytes, node_id, created_at, expires_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(reservation.id(), reservation.associationId(), reservation.storeId(),
					reservation.folder(), reservation.bytes(), nodeId, now.atOffset(ZoneOffset.UTC),
					expiresAt.atOffset(ZoneOffset.UTC))
			.update();
	}

	public void update(UUID id, UUID storeId, long bytes, String nodeId, Instant expiresAt) {
		this.jdbc.sql("UPDATE storage_reservation SET store_id = ?, bytes = ?, node_id = ?, expires_at = ? WHERE id = ?")
			.params(storeId, bytes, nodeId, expiresAt.atOffset(ZoneOffset.UTC), id)
			.update();
	}

	/**
	 * Extends the association's live reservation that holds no upload yet, if it has one, to {@code expiresAt}
	 * at least: never shortened, even by a server whose clock is behind. Safe without the folders' lock, because a
	 * count of clients first {@linkplain #deleteExpiredIdle deletes} such reservations that ran out: the row is
	 * either deleted first (and this finds nothing) or extended first (and the deletion, which waits for this
	 * transaction, then leaves it).
	 * @return whether there was one
	 */
	public boolean extendIdle(UUID associationId, Instant now, Instant expiresAt) {
		return this.jdbc.sql("""
				UPDATE storage_reservation SET expires_at = GREATEST(expires_at, ?)
				WHERE association_id = ? AND store_id IS NULL AND expires_at > ?""")
			.params(expiresAt.atOffset(ZoneOffset.UTC), associationId, now.atOffset(ZoneOffset.UTC))
			.update() > 0;
	}

	/**
	 * Deletes the reservations that hold no upload and ran out by {@code now}: with the folders locked, before
	 * clients are counted as of {@code now}. A reservation being {@linkplain #extendIdle extended} at that moment
	 * is waited for, and left if the extension commits; so every idle reservation is either counted or gone.
	 * @return how many were deleted
	 */
	public int deleteExpiredIdle(Instant now) {
		return this.jdbc.sql("DELETE FROM storage_reservation WHERE store_id IS NULL AND expires_at <= ?")
			.param(now.atOffset(ZoneOffset.UTC))
			.update();
	}

	public void delete(UUID id) {
		this.jdbc.sql("DELETE FROM storage_reservation WHERE id = ?").param(id).update();
	}

	public void deleteForStore(UUID storeId) {
		this.jdbc.sql("DELETE FROM storage_reservation WHERE store_id = ?").param(storeId).update();
	}

	public void deleteForAssociation(UUID associationId) {
		this.jdbc.sql("DELETE FROM storage_reservation WHERE association_id = ?").param(associationId).update();
	}

	/** Reservations that are still running (unexpired), by folder. */
	public List<Reservation> active(Instant now) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM storage_reservation WHERE expires_at > ?")
			.param(now.atOffset(ZoneOffset.UTC))
			.query(ReservationRepository::map)
			.list();
	}

	/** Associations with a stored or uploading version, by folder. */
	public Map<String, List<UUID>> associationsWithData() {
		return this.jdbc.sql("""
				SELECT DISTINCT folder, association_id FROM state_store WHERE status IN ('COMMITTED', 'UPLOADING')""")
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getObject(2, UUID.class)))
			.list()
			.stream()
			.collect(Collectors.groupingBy(Map.Entry::getKey,
					Collectors.mapping(Map.Entry::getValue, Collectors.toList())));
	}

	/** Bytes of committed versions, by folder. */
	public Map<String, Long> usedBytes() {
		return this.jdbc.sql("""
				SELECT folder, SUM(size_bytes) FROM state_store WHERE status = 'COMMITTED' GROUP BY folder""")
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/**
	 * Versions that still hold something in their location, by location: committed ones, and those being uploaded
	 * (in one request, or resumably). A location whose versions are all gone is not among the keys.
	 */
	public Map<String, Long> versionsByFolder() {
		return this.jdbc.sql("""
				SELECT folder, COUNT(*) FROM state_store WHERE status IN ('COMMITTED', 'UPLOADING') GROUP BY folder""")
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getLong(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/**
	 * The bytes the committed versions at one location take there, as ciphertext: their plaintext, the header
	 * and the tag of every segment of 1 MiB (counted up, so never less than what is stored).
	 */
	public long storedBytes(String location) {
		return this.jdbc.sql("""
				SELECT COALESCE(SUM(size_bytes + 20 + 16 * (size_bytes / 1048576 + 1)), 0) FROM state_store
				WHERE folder = ? AND status = 'COMMITTED'""").param(location).query(Long.class).single();
	}

	private static Reservation map(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
		return new Reservation(rs.getObject("id", UUID.class), rs.getObject("association_id", UUID.class),
				rs.getObject("store_id", UUID.class), rs.getString("folder"), rs.getLong("bytes"));
	}

}
