package org.statemigration.smp.association.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.association.Computer;

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

	static Computer map(ResultSet rs, int row) throws SQLException {
		String macs = rs.getString("mac_addresses");
		return new Computer(rs.getObject("id", UUID.class), rs.getString("name"),
				rs.getObject("smbios_guid", UUID.class),
				(macs == null || macs.isEmpty()) ? List.of() : Arrays.asList(macs.split(",")),
				rs.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
