package org.statemigration.smp.association.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.association.AssociationParties;
import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.MigrationType;
import org.statemigration.smp.association.UserAccountMode;
import org.statemigration.smp.association.UserAccounts;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Association rows, joined with their computers' names.
 */
@Repository
public class AssociationRepository {

	private static final String SELECT = """
			SELECT a.id, s.name AS source_name, d.name AS destination_name, a.source_computer_id,
			       a.destination_computer_id, a.migration_type, a.user_account_mode, a.user_accounts, a.notes,
			       a.state, a.store_size_bytes, a.store_sha256, a.captured_at, a.restored_at, a.delete_at,
			       a.legal_hold, a.created_at, a.created_by
			FROM computer_association a
			JOIN computer s ON s.id = a.source_computer_id
			JOIN computer d ON d.id = a.destination_computer_id
			""";

	private final JdbcClient jdbc;

	AssociationRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(UUID id, UUID sourceId, UUID destinationId, MigrationType type, UserAccounts accounts,
			String notes, byte[] wrappedKey, String keyAlgorithm, String createdBy, Instant now) {
		this.jdbc.sql("""
				INSERT INTO computer_association (id, source_computer_id, destination_computer_id, migration_type,
				    user_account_mode, user_accounts, notes, state, encryption_key_wrapped, key_algorithm,
				    legal_hold, created_at, created_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?)""")
			.params(id, sourceId, destinationId, type.name(), accounts.mode().name(),
					String.join("\n", accounts.accounts()), notes, AssociationState.CREATED.name(), wrappedKey,
					keyAlgorithm, utc(now), createdBy, utc(now))
			.update();
	}

	public Optional<ComputerAssociation> find(UUID id) {
		return this.jdbc.sql(SELECT + " WHERE a.id = ?").param(id).query(AssociationRepository::map).optional();
	}

	/** Locks the association's row for the rest of the transaction and returns its parties and state. */
	public Optional<AssociationParties> lock(UUID id) {
		return this.jdbc.sql("""
				SELECT id, source_computer_id, destination_computer_id, state, store_size_bytes, legal_hold
				FROM computer_association WHERE id = ? FOR UPDATE""")
			.param(id)
			.query(AssociationRepository::mapRow)
			.optional();
	}

	public Optional<AssociationParties> row(UUID id) {
		return this.jdbc.sql("""
				SELECT id, source_computer_id, destination_computer_id, state, store_size_bytes, legal_hold
				FROM computer_association WHERE id = ?""")
			.param(id)
			.query(AssociationRepository::mapRow)
			.optional();
	}

	/** Associations in which the computer takes part as source (or destination), oldest first. */
	public List<AssociationParties> forComputer(UUID computerId, boolean asSource) {
		return forComputer(computerId, asSource, "");
	}

	/** The computer's associations as {@link #forComputer} reads them, each locked for the rest of the transaction. */
	public List<AssociationParties> lockForComputer(UUID computerId, boolean asSource) {
		return forComputer(computerId, asSource, " FOR UPDATE");
	}

	private List<AssociationParties> forComputer(UUID computerId, boolean asSource, String locking) {
		String column = asSource ? "source_computer_id" : "destination_computer_id";
		return this.jdbc.sql("""
				SELECT id, source_computer_id, destination_computer_id, state, store_size_bytes, legal_hold
				FROM computer_association WHERE %s = ? ORDER BY created_at, id%s""".formatted(column, locking))
			.param(computerId)
			.query(AssociationRepository::mapRow)
			.list();
	}

	/** User-account modes of the source computer's associations whose data has not been deleted. */
	public List<UserAccountMode> liveModesForSource(UUID sourceId) {
		return this.jdbc.sql("SELECT user_account_mode FROM computer_association WHERE source_computer_id = ? AND state <> ?")
			.params(sourceId, AssociationState.DELETED.name())
			.query((rs, row) -> UserAccountMode.valueOf(rs.getString(1)))
			.list();
	}

	public List<ComputerAssociation> search(AssociationState state, String computerKey, long offset, int limit) {
		Where where = where(state, computerKey);
		return this.jdbc.sql(SELECT + where.sql + " ORDER BY a.created_at DESC, a.id OFFSET " + offset
				+ " ROWS FETCH FIRST " + limit + " ROWS ONLY")
			.params(where.params)
			.query(AssociationRepository::map)
			.list();
	}

	/**
	 * The associations that the filters of {@link #search} match, in its order, after the one created at
	 * {@code afterCreatedAt} with id {@code afterId} (from the first when null): a page of a walk through all of
	 * them that stays right while rows are added.
	 */
	public List<ComputerAssociation> searchAfter(AssociationState state, String computerKey, Instant afterCreatedAt,
			UUID afterId, int limit) {
		Where where = where(state, computerKey);
		List<Object> params = new ArrayList<>(where.params);
		String sql = SELECT + where.sql;
		if (afterCreatedAt != null) {
			// the first condition lets the index of the list's order start at the page; the second skips the rows
			// of the same instant that the pages before took
			sql += (where.params.isEmpty() ? " WHERE " : " AND ") + "a.created_at <= ? AND (a.created_at < ? OR a.id > ?)";
			params.add(utc(afterCreatedAt));
			params.add(utc(afterCreatedAt));
			params.add(afterId);
		}
		return this.jdbc.sql(sql + " ORDER BY a.created_at DESC, a.id FETCH FIRST " + limit + " ROWS ONLY")
			.params(params)
			.query(AssociationRepository::map)
			.list();
	}

	public long count(AssociationState state, String computerKey) {
		Where where = where(state, computerKey);
		return this.jdbc.sql("SELECT COUNT(*) FROM computer_association a JOIN computer s ON s.id = a.source_computer_id "
				+ "JOIN computer d ON d.id = a.destination_computer_id" + where.sql)
			.params(where.params)
			.query(Long.class)
			.single();
	}

	private static Where where(AssociationState state, String computerKey) {
		List<String> clauses = new ArrayList<>();
		List<Object> params = new ArrayList<>();
		if (state != null) {
			clauses.add("a.state = ?");
			params.add(state.name());
		}
		if (computerKey != null) {
			clauses.add("(s.name_key = ? OR d.name_key = ?)");
			params.add(computerKey);
			params.add(computerKey);
		}
		return new Where(clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses), params);
	}

	public byte[] wrappedKey(UUID id) {
		return this.jdbc.sql("SELECT encryption_key_wrapped FROM computer_association WHERE id = ?")
			.param(id)
			.query(byte[].class)
			.single();
	}

	public Optional<WrappedKeyAndAccounts> wrappedKeyAndAccounts(UUID id) {
		return this.jdbc
			.sql("SELECT encryption_key_wrapped, user_account_mode, user_accounts FROM computer_association WHERE id = ?")
			.param(id)
			.query((rs, row) -> new WrappedKeyAndAccounts(rs.getBytes("encryption_key_wrapped"), userAccounts(rs)))
			.optional();
	}

	public void updateState(UUID id, AssociationState state, Instant now) {
		this.jdbc.sql("UPDATE computer_association SET state = ?, updated_at = ? WHERE id = ?")
			.params(state.name(), utc(now), id)
			.update();
	}

	/** Makes another computer the destination, with the migration type that follows from it. */
	public void updateDestination(UUID id, UUID destinationId, MigrationType type, Instant now) {
		this.jdbc.sql("UPDATE computer_association SET destination_computer_id = ?, migration_type = ?, updated_at = ? WHERE id = ?")
			.params(destinationId, type.name(), utc(now), id)
			.update();
	}

	public void recordCapturedData(UUID id, long size, String sha256, Instant now) {
		this.jdbc.sql("""
				UPDATE computer_association SET store_size_bytes = ?, store_sha256 = ?, captured_at = ?, updated_at = ?
				WHERE id = ?""")
			.params(size, sha256, utc(now), utc(now), id)
			.update();
	}

	public void recordRestore(UUID id, Instant now, Instant deleteAt) {
		this.jdbc.sql("""
				UPDATE computer_association SET state = ?, restored_at = ?, delete_at = ?, updated_at = ? WHERE id = ?""")
			.params(AssociationState.RESTORED.name(), utc(now), utc(deleteAt), utc(now), id)
			.update();
	}

	public void delete(UUID id) {
		this.jdbc.sql("DELETE FROM computer_association WHERE id = ?").param(id).update();
	}

	private static ComputerAssociation map(ResultSet rs, int row) throws SQLException {
		long size = rs.getLong("store_size_bytes");
		Long storeSize = rs.wasNull() ? null : size;
		return new ComputerAssociation(rs.getObject("id", UUID.class), rs.getString("source_name"),
				rs.getString("destination_name"), MigrationType.valueOf(rs.getString("migration_type")),
				userAccounts(rs), AssociationState.valueOf(rs.getString("state")), storeSize,
				rs.getString("store_sha256"), instant(rs, "captured_at"), instant(rs, "restored_at"), instant(rs, "delete_at"),
				rs.getBoolean("legal_hold"), rs.getString("notes"), instant(rs, "created_at"),
				rs.getString("created_by"));
	}

	private static UserAccounts userAccounts(ResultSet rs) throws SQLException {
		String accounts = rs.getString("user_accounts");
		return new UserAccounts(UserAccountMode.valueOf(rs.getString("user_account_mode")),
				(accounts == null || accounts.isEmpty()) ? List.of() : Arrays.asList(accounts.split("\n")));
	}

	private static AssociationParties mapRow(ResultSet rs, int row) throws SQLException {
		rs.getLong("store_size_bytes");
		boolean hasData = !rs.wasNull();
		return new AssociationParties(rs.getObject("id", UUID.class), rs.getObject("source_computer_id", UUID.class),
				rs.getObject("destination_computer_id", UUID.class), AssociationState.valueOf(rs.getString("state")),
				hasData, rs.getBoolean("legal_hold"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
	}

	private record Where(String sql, List<Object> params) {
	}

	/** An association's wrapped encryption key and its user accounts. */
	public record WrappedKeyAndAccounts(byte[] wrappedKey, UserAccounts userAccounts) {
	}

}
