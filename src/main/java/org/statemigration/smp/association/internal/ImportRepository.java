package org.statemigration.smp.association.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.UserAccountMode;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * What a bulk import reads and writes, by the hundred rather than one by one: the computers, addresses and
 * associations that a file names, looked up in chunks, and its rows written in JDBC batches.
 */
@Repository
public class ImportRepository {

	private static final int CHUNK = 500;

	private final JdbcTemplate jdbc;

	ImportRepository(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/** The known computers among these name keys, by name key. */
	public Map<String, KnownComputer> computers(Collection<String> nameKeys) {
		Map<String, KnownComputer> found = new HashMap<>();
		inChunks(nameKeys, (chunk) -> this.jdbc.query("SELECT id, name, name_key, smbios_guid, mac_addresses FROM "
				+ "computer WHERE name_key IN (" + marks(chunk.size()) + ")", (rs) -> {
					String macs = rs.getString(5);
					KnownComputer computer = new KnownComputer(rs.getObject(1, UUID.class), rs.getString(2),
							rs.getString(3), rs.getObject(4, UUID.class),
							(macs == null || macs.isEmpty()) ? List.of() : Arrays.asList(macs.split(",")));
					found.put(computer.nameKey(), computer);
				}, chunk.toArray()));
		return found;
	}

	/** Locks the computers' rows for the rest of the transaction, as creating one association does its source's. */
	public void lock(Collection<UUID> computerIds) {
		List<UUID> sorted = new ArrayList<>(computerIds);
		Collections.sort(sorted);
		inChunks(sorted, (chunk) -> this.jdbc.queryForList(
				"SELECT id FROM computer WHERE id IN (" + marks(chunk.size()) + ") FOR UPDATE", UUID.class,
				chunk.toArray()));
	}

	/** The user-account modes of the associations (not deleted) of which these computers are the source. */
	public Map<UUID, List<UserAccountMode>> liveModes(Collection<UUID> sourceIds) {
		Map<UUID, List<UserAccountMode>> modes = new HashMap<>();
		inChunks(sourceIds, (chunk) -> {
			List<Object> params = new ArrayList<>(chunk);
			params.add(AssociationState.DELETED.name());
			this.jdbc.query("SELECT source_computer_id, user_account_mode FROM computer_association WHERE "
					+ "source_computer_id IN (" + marks(chunk.size()) + ") AND state <> ?",
					(rs) -> {
						modes.computeIfAbsent(rs.getObject(1, UUID.class), (id) -> new ArrayList<>())
							.add(UserAccountMode.valueOf(rs.getString(2)));
					}, params.toArray());
		});
		return modes;
	}

	/** The name of the computer that holds each of these SMBIOS UUIDs. */
	public Map<UUID, String> smbiosGuidHolders(Collection<UUID> guids) {
		Map<UUID, String> holders = new HashMap<>();
		inChunks(guids, (chunk) -> this.jdbc.query("SELECT smbios_guid, name FROM computer WHERE smbios_guid IN ("
				+ marks(chunk.size()) + ")",
				(rs) -> {
					holders.put(rs.getObject(1, UUID.class), rs.getString(2));
				}, chunk.toArray()));
		return holders;
	}

	/** The name of the computer that holds each of these MAC addresses. */
	public Map<String, String> macAddressHolders(Collection<String> macs) {
		Map<String, String> holders = new HashMap<>();
		inChunks(macs, (chunk) -> this.jdbc.query("SELECT m.mac_address, c.name FROM computer_mac_address m JOIN "
				+ "computer c ON c.id = m.computer_id WHERE m.mac_address IN (" + marks(chunk.size()) + ")",
				(rs) -> {
					holders.put(rs.getString(1), rs.getString(2));
				}, chunk.toArray()));
		return holders;
	}

	public void insertComputers(List<KnownComputer> computers, Instant now) {
		OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
		batch("INSERT INTO computer (id, name, name_key, created_at) VALUES (?, ?, ?, ?)", computers.stream()
			.map((c) -> new Object[] { c.id(), c.name(), c.nameKey(), at })
			.toList());
	}

	/**
	 * Gives computers their SMBIOS UUID and full list of MAC addresses, and records the addresses they did not have
	 * yet.
	 */
	public void storeIdentities(List<KnownComputer> computers, List<Object[]> addedMacs) {
		batch("UPDATE computer SET smbios_guid = ?, mac_addresses = ? WHERE id = ?", computers.stream()
			.map((c) -> new Object[] { c.smbiosGuid(),
					c.macAddresses().isEmpty() ? null : String.join(",", c.macAddresses()), c.id() })
			.toList());
		batch("INSERT INTO computer_mac_address (mac_address, computer_id) VALUES (?, ?)", addedMacs);
	}

	/** Inserts associations in the state CREATED, without legal hold; each row as {@link #ASSOCIATION_COLUMNS}. */
	public void insertAssociations(List<Object[]> rows) {
		batch("INSERT INTO computer_association (id, source_computer_id, destination_computer_id, migration_type, "
				+ "user_account_mode, user_accounts, notes, encryption_key_wrapped, key_algorithm, created_by, "
				+ "created_at, updated_at, state, legal_hold) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '"
				+ AssociationState.CREATED.name() + "', FALSE)", rows);
	}

	/** The values of a row for {@link #insertAssociations}, in order. */
	public static final String ASSOCIATION_COLUMNS = "id, source, destination, migrationType, mode, accounts, notes, "
			+ "wrappedKey, keyAlgorithm, createdBy, createdAt, updatedAt";

	private void batch(String sql, List<Object[]> rows) {
		for (int from = 0; from < rows.size(); from += CHUNK) {
			this.jdbc.batchUpdate(sql, rows.subList(from, Math.min(rows.size(), from + CHUNK)));
		}
	}

	private static <T> void inChunks(Collection<T> values, Consumer<List<T>> action) {
		List<T> all = new ArrayList<>(values);
		for (int from = 0; from < all.size(); from += CHUNK) {
			action.accept(all.subList(from, Math.min(all.size(), from + CHUNK)));
		}
	}

	private static String marks(int count) {
		return String.join(", ", Collections.nCopies(count, "?"));
	}

	/** A computer as the import sees it. */
	public record KnownComputer(UUID id, String name, String nameKey, UUID smbiosGuid, List<String> macAddresses) {
	}

}
