package org.statemigration.smp.association.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * What retention and legal hold read and change in association rows. The {@code claim} queries lock one row with
 * {@code SKIP LOCKED}: a row that another server is working on right now is passed over, not waited for.
 */
@Repository
public class AssociationRetentionRepository {

	private static final String DATA_DUE = """
			state = 'RESTORED' AND delete_at <= ? AND legal_hold = FALSE""";

	private static final String RECORD_DUE = """
			state = 'DELETED' AND data_deleted_at < ? AND legal_hold = FALSE""";

	private final JdbcClient jdbc;

	AssociationRetentionRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void setLegalHold(UUID id, boolean hold, Instant now) {
		this.jdbc.sql("UPDATE computer_association SET legal_hold = ?, updated_at = ? WHERE id = ?")
			.params(hold, utc(now), id)
			.update();
	}

	public void recordLegalHoldChange(UUID id, boolean hold, String reason, String actor, Instant now) {
		this.jdbc.sql("""
				INSERT INTO legal_hold_change (association_id, hold, reason, changed_at, changed_by)
				VALUES (?, ?, ?, ?, ?)""")
			.params(id, hold, reason, utc(now), actor)
			.update();
	}

	/** Restored associations whose data is due for deletion and not held, longest overdue first. */
	public List<UUID> dataDue(Instant now, int limit) {
		return this.jdbc.sql("SELECT id FROM computer_association WHERE " + DATA_DUE
				+ " ORDER BY delete_at, id FETCH FIRST " + limit + " ROWS ONLY")
			.param(utc(now))
			.query(UUID.class)
			.list();
	}

	/** Locks the association if its data is still due and no other transaction holds it. */
	public boolean claimDataDue(UUID id, Instant now) {
		return this.jdbc.sql("SELECT id FROM computer_association WHERE id = ? AND " + DATA_DUE
				+ " FOR UPDATE SKIP LOCKED")
			.params(id, utc(now))
			.query(UUID.class)
			.optional()
			.isPresent();
	}

	public boolean markDataDeleted(UUID id, Instant now) {
		return this.jdbc.sql("""
				UPDATE computer_association SET state = 'DELETED', data_deleted_at = ?, updated_at = ?
				WHERE id = ? AND state = 'RESTORED'""")
			.params(utc(now), utc(now), id)
			.update() == 1;
	}

	/** Associations whose data was deleted before the cutoff, not held, oldest first. */
	public List<UUID> recordsDue(Instant cutoff, int limit) {
		return this.jdbc.sql("SELECT id FROM computer_association WHERE " + RECORD_DUE
				+ " ORDER BY data_deleted_at, id FETCH FIRST " + limit + " ROWS ONLY")
			.param(utc(cutoff))
			.query(UUID.class)
			.list();
	}

	/** Locks the association if its record is still due for removal and no other transaction holds it. */
	public boolean claimRecordDue(UUID id, Instant cutoff) {
		return this.jdbc.sql("SELECT id FROM computer_association WHERE id = ? AND " + RECORD_DUE
				+ " FOR UPDATE SKIP LOCKED")
			.params(id, utc(cutoff))
			.query(UUID.class)
			.optional()
			.isPresent();
	}

	/** Removes the association's row and its legal-hold history. */
	public void remove(UUID id) {
		this.jdbc.sql("DELETE FROM legal_hold_change WHERE association_id = ?").param(id).update();
		this.jdbc.sql("DELETE FROM computer_association WHERE id = ?").param(id).update();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
