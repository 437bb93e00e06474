package org.statemigration.smp.scrub;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.store.StoreCheck;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The marks of damaged versions ({@code scrub_damaged_store}, whose rows go with their version's row) and the one
 * row of the scheduled scrub's progress ({@code scrub_progress}).
 */
@Repository
class ScrubRepository {

	private static final String DAMAGED = """
			SELECT d.store_id, d.association_id, s.version, d.verdict, d.segment, d.detail, d.found_at, d.found_by
			FROM scrub_damaged_store d JOIN state_store s ON s.id = d.store_id""";

	private final JdbcClient jdbc;

	ScrubRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Marks the version damaged, unless it is marked already; true if this marked it.
	 * @throws org.springframework.dao.DataIntegrityViolationException if another marked it at the same moment, or
	 * its row is gone
	 */
	boolean mark(StoreCheck check, String foundBy, Instant now) {
		if (this.jdbc.sql("SELECT COUNT(*) FROM scrub_damaged_store WHERE store_id = ?")
			.param(check.storeId())
			.query(Long.class)
			.single() > 0) {
			return false;
		}
		return this.jdbc.sql("""
				INSERT INTO scrub_damaged_store (store_id, association_id, verdict, segment, detail, found_at, found_by)
				VALUES (?, ?, ?, ?, ?, ?, ?)""")
			.params(check.storeId(), check.associationId(), check.verdict().slug(), check.segment(),
					truncate(check.detail(), 1000), now.atOffset(ZoneOffset.UTC), truncate(foundBy, 255))
			.update() == 1;
	}

	boolean clear(UUID storeId) {
		return this.jdbc.sql("DELETE FROM scrub_damaged_store WHERE store_id = ?").param(storeId).update() == 1;
	}

	/** The marked versions that are still committed, oldest finding first. */
	List<DamagedStore> damaged() {
		return this.jdbc.sql(DAMAGED + " WHERE s.status = 'COMMITTED' ORDER BY d.found_at, d.store_id")
			.query((rs, row) -> damaged(rs))
			.list();
	}

	Optional<DamagedStore> damaged(UUID storeId) {
		return this.jdbc.sql(DAMAGED + " WHERE d.store_id = ?").param(storeId).query((rs, row) -> damaged(rs)).optional();
	}

	/** The mark of the association's committed version, if it has one. */
	Optional<DamagedStore> damagedCurrent(UUID associationId) {
		return this.jdbc.sql(DAMAGED + " WHERE s.association_id = ? AND s.status = 'COMMITTED'")
			.param(associationId)
			.query((rs, row) -> damaged(rs))
			.optional();
	}

	private static DamagedStore damaged(ResultSet rs) throws SQLException {
		long segment = rs.getLong("segment");
		return new DamagedStore(rs.getObject("store_id", UUID.class), rs.getObject("association_id", UUID.class),
				rs.getLong("version"), rs.getString("verdict"), rs.wasNull() ? null : segment, rs.getString("detail"),
				instant(rs, "found_at"), rs.getString("found_by"));
	}

	Progress progress() {
		return this.jdbc.sql("SELECT * FROM scrub_progress WHERE id = 1").query((rs, row) -> {
			ScrubPass current = (rs.getObject("pass_started_at") != null)
					? new ScrubPass(instant(rs, "pass_started_at"), null, rs.getLong("stores_checked"),
							rs.getLong("bytes_checked"), rs.getLong("damaged_found"), rs.getLong("unreadable"), null)
					: null;
			ScrubPass last = (rs.getObject("last_pass_finished_at") != null)
					? new ScrubPass(instant(rs, "last_pass_started_at"), instant(rs, "last_pass_finished_at"),
							rs.getLong("last_pass_stores"), rs.getLong("last_pass_bytes"), rs.getLong("last_pass_damaged"),
							rs.getLong("last_pass_unreadable"), rs.getString("last_pass_by"))
					: null;
			return new Progress(current, rs.getObject("last_store_id", UUID.class), last);
		}).single();
	}

	void startPass(Instant now) {
		this.jdbc.sql("""
				UPDATE scrub_progress SET pass_started_at = ?, last_store_id = NULL, stores_checked = 0,
				    bytes_checked = 0, damaged_found = 0, unreadable = 0 WHERE id = 1""")
			.param(now.atOffset(ZoneOffset.UTC))
			.update();
	}

	/** Records the version just checked and the pass's counts so far. */
	void advance(UUID storeId, ScrubPass counts) {
		this.jdbc.sql("""
				UPDATE scrub_progress SET last_store_id = ?, stores_checked = ?, bytes_checked = ?, damaged_found = ?,
				    unreadable = ? WHERE id = 1""")
			.params(storeId, counts.stores(), counts.bytes(), counts.damaged(), counts.unreadable())
			.update();
	}

	void finishPass(ScrubPass pass) {
		this.jdbc.sql("""
				UPDATE scrub_progress SET pass_started_at = NULL, last_store_id = NULL, stores_checked = 0,
				    bytes_checked = 0, damaged_found = 0, unreadable = 0, last_pass_started_at = ?,
				    last_pass_finished_at = ?, last_pass_stores = ?, last_pass_bytes = ?, last_pass_damaged = ?,
				    last_pass_unreadable = ?, last_pass_by = ? WHERE id = 1""")
			.params(pass.startedAt().atOffset(ZoneOffset.UTC), pass.finishedAt().atOffset(ZoneOffset.UTC),
					pass.stores(), pass.bytes(), pass.damaged(), pass.unreadable(), truncate(pass.by(), 255))
			.update();
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
		return (at != null) ? at.toInstant() : null;
	}

	private static String truncate(String text, int max) {
		return (text != null && text.length() > max) ? text.substring(0, max) : text;
	}

	/**
	 * The scheduled scrub's row.
	 * @param current the pass under way (cut short if no server is scrubbing now), or null
	 * @param lastStoreId the last version the pass under way checked
	 * @param last the last pass that ended, or null
	 */
	record Progress(ScrubPass current, UUID lastStoreId, ScrubPass last) {
	}

}
