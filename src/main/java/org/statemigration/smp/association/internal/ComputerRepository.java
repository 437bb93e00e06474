package org.statemigration.smp.association.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.association.Computer;
import org.statemigration.smp.association.ComputerIdentity;
import org.statemigration.smp.association.ComputerIdentityConflictException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class ComputerRepository {

	private static final String COLUMNS = "id, name, smbios_guid, mac_addresses, created_at";

	private final JdbcClient jdbc;

	ComputerRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Optional<Computer> findByName(String nameKey) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM computer WHERE name_key = ?")
			.param(nameKey)
			.query(ComputerRepository::map)
			.optional();
	}

	public Optional<Computer> findById(UUID id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM computer WHERE id = ?")
			.param(id)
			.query(ComputerRepository::map)
			.optional();
	}

	/** Locks the computer's row: serializes association changes for one source computer. */
	public void lock(UUID id) {
		this.jdbc.sql("SELECT id FROM computer WHERE id = ? FOR UPDATE").param(id).query(UUID.class).optional();
	}

	/**
	 * Computers whose name key contains the text literally: {@code %}, {@code _} and the escape character itself are
	 * escaped, so that they match only themselves (on H2 and PostgreSQL alike, with an explicit escape clause).
	 */
	public List<Computer> search(String nameKeyContains, int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM computer WHERE name_key LIKE ? ESCAPE '\\' ORDER BY name_key "
				+ "FETCH FIRST " + limit + " ROWS ONLY")
			.param("%" + escapeLike(nameKeyContains) + "%")
			.query(ComputerRepository::map)
			.list();
	}

	static String escapeLike(String text) {
		return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
	}

	/**
	 * Inserts the computer; if another request registered the same name meanwhile, returns that one.
	 */
	public Computer insertIfAbsent(UUID id, String name, String nameKey, Instant now) {
		try {
			this.jdbc.sql("INSERT INTO computer (id, name, name_key, created_at) VALUES (?, ?, ?, ?)")
				.params(id, name, nameKey, now.atOffset(ZoneOffset.UTC))
				.update();
			return new Computer(id, name, null, List.of(), now);
		}
		catch (DuplicateKeyException ex) {
			return findByName(nameKey).orElseThrow(() -> ex);
		}
	}

	public Optional<Computer> findBySmbiosGuid(UUID smbiosGuid) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM computer WHERE smbios_guid = ?")
			.param(smbiosGuid)
			.query(ComputerRepository::map)
			.optional();
	}

	/** The computers that hold any of the MAC addresses, by address. */
	public Map<String, MacOwner> ownersOf(Collection<String> macAddresses) {
		Map<String, MacOwner> owners = new LinkedHashMap<>();
		if (macAddresses.isEmpty()) {
			return owners;
		}
		String marks = String.join(", ", Collections.nCopies(macAddresses.size(), "?"));
		this.jdbc.sql("SELECT m.mac_address, c.id, c.name FROM computer_mac_address m JOIN computer c ON c.id = "
				+ "m.computer_id WHERE m.mac_address IN (" + marks + ")")
			.params(new ArrayList<>(macAddresses))
			.query((rs, row) -> new MacOwner(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3)))
			.list()
			.forEach((owner) -> owners.put(owner.macAddress(), owner));
		return owners;
	}

	/**
	 * Replaces the computer's SMBIOS UUID and MAC addresses.
	 * @throws ComputerIdentityConflictException if another computer holds the UUID or one of the addresses (a
	 * change made meanwhile that the caller's checks could not see)
	 */
	public void storeIdentity(UUID id, ComputerIdentity identity) {
		try {
			this.jdbc.sql("DELETE FROM computer_mac_address WHERE computer_id = ?").param(id).update();
			this.jdbc.sql("UPDATE computer SET smbios_guid = ?, mac_addresses = ? WHERE id = ?")
				.params(identity.smbiosGuid(),
						identity.macAddresses().isEmpty() ? null : String.join(",", identity.macAddresses()), id)
				.update();
			for (String mac : identity.macAddresses()) {
				this.jdbc.sql("INSERT INTO computer_mac_address (mac_address, computer_id) VALUES (?, ?)")
					.params(mac, id)
					.update();
			}
		}
		catch (DuplicateKeyException ex) {
			throw new ComputerIdentityConflictException(
					"The SMBIOS UUID or a MAC address was given to another computer meanwhile");
		}
	}

	/** A MAC address and the computer that holds it. */
	public record MacOwner(String macAddress, UUID computerId, String computerName) {
	}

	static Computer map(ResultSet rs, int row) throws SQLException {
		String macs = rs.getString("mac_addresses");
		return new Computer(rs.getObject("id", UUID.class), rs.getString("name"),
				rs.getObject("smbios_guid", UUID.class),
				(macs == null || macs.isEmpty()) ? List.of() : Arrays.asList(macs.split(",")),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
