package org.statemigration.smp.settings.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class SettingRepository {

	private final JdbcClient jdbc;

	SettingRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public Map<String, String> all() {
		return this.jdbc.sql("SELECT name, setting_value FROM setting")
			.query((rs, row) -> Map.entry(rs.getString(1), rs.getString(2)))
			.list()
			.stream()
			.collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
	}

	/** Locks the settings for a change: concurrent changes apply one after the other. */
	public void lock() {
		this.jdbc.sql("SELECT name FROM setting ORDER BY name FOR UPDATE").query(String.class).list();
	}

	public void put(String name, String oldValue, String value, String actor, Instant now) {
		int updated = this.jdbc.sql("UPDATE setting SET setting_value = ?, updated_at = ?, updated_by = ? WHERE name = ?")
			.params(value, now.atOffset(ZoneOffset.UTC), actor, name)
			.update();
		if (updated == 0) {
			this.jdbc.sql("INSERT INTO setting (name, setting_value, updated_at, updated_by) VALUES (?, ?, ?, ?)")
				.params(name, value, now.atOffset(ZoneOffset.UTC), actor)
				.update();
		}
		this.jdbc.sql("""
				INSERT INTO setting_change (name, old_value, new_value, changed_at, changed_by) VALUES (?, ?, ?, ?, ?)""")
			.params(name, oldValue, value, now.atOffset(ZoneOffset.UTC), actor)
			.update();
	}

}
