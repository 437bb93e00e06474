package org.statemigration.smp.admin.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.statemigration.smp.admin.Operator;
import org.statemigration.smp.admin.Role;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Operator rows. Roles are kept as a comma-separated list of role names.
 */
@Repository
public class OperatorRepository {

	private static final String COLUMNS = "username, roles, enabled, password_change_required, created_at, updated_at";

	private final JdbcClient jdbc;

	OperatorRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public long count() {
		return this.jdbc.sql("SELECT COUNT(*) FROM operator").query(Long.class).single();
	}

	/**
	 * Locks every enabled operator, in name order, and counts the administrators among them: two concurrent
	 * changes cannot both remove what each believes is the second-to-last administrator.
	 */
	public long lockAndCountEnabledAdmins() {
		return this.jdbc.sql("SELECT roles FROM operator WHERE enabled = TRUE ORDER BY username FOR UPDATE")
			.query(String.class)
			.list()
			.stream()
			.filter((roles) -> split(roles).contains(Role.ADMIN))
			.count();
	}

	/** Whether an operator of that name exists, in any case ("bob" and "BOB" are one name). */
	public boolean exists(String username) {
		return this.jdbc.sql("SELECT COUNT(*) FROM operator WHERE username_key = ?")
			.param(key(username))
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Inserts an account.
	 * @throws DuplicateKeyException if an operator of that name, in any case, exists
	 */
	public void insert(String username, String passwordHash, Set<Role> roles, boolean enabled, Instant now) {
		this.jdbc.sql("""
				INSERT INTO operator (username, username_key, password_hash, roles, enabled, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?)""")
			.params(username, key(username), passwordHash, join(roles), enabled, utc(now), utc(now))
			.update();
	}

	public boolean insertIfAbsent(String username, String passwordHash, Set<Role> roles, Instant now) {
		try {
			insert(username, passwordHash, roles, true, now);
			return true;
		}
		catch (DuplicateKeyException ex) {
			// another node created the first administrator at the same moment
			return false;
		}
	}

	public List<Operator> findAll() {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM operator ORDER BY username").query(this::map).list();
	}

	public Optional<Operator> find(String username) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM operator WHERE username = ?")
			.param(username)
			.query(this::map)
			.optional();
	}

	public Optional<Operator> findForUpdate(String username) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM operator WHERE username = ? FOR UPDATE")
			.param(username)
			.query(this::map)
			.optional();
	}

	/** The password hash of an enabled or disabled account, for sign-in. */
	public Optional<String> passwordHash(String username) {
		return this.jdbc.sql("SELECT password_hash FROM operator WHERE username = ?")
			.param(username)
			.query(String.class)
			.optional();
	}

	public void update(String username, String passwordHashOrNull, Set<Role> roles, boolean enabled, Instant now) {
		this.jdbc.sql("""
				UPDATE operator SET password_hash = COALESCE(?, password_hash), roles = ?, enabled = ?, updated_at = ?
				WHERE username = ?""")
			.params(passwordHashOrNull, join(roles), enabled, utc(now), username)
			.update();
	}

	/**
	 * Sets a new password hash.
	 * @param changeRequired whether the operator must change it at the next sign-in (a reset)
	 */
	public void setPassword(String username, String passwordHash, boolean changeRequired, Instant now) {
		this.jdbc.sql("""
				UPDATE operator SET password_hash = ?, password_change_required = ?, updated_at = ?
				WHERE username = ?""")
			.params(passwordHash, changeRequired, utc(now), username)
			.update();
	}

	private Operator map(ResultSet rs, int row) throws SQLException {
		return new Operator(rs.getString("username"), split(rs.getString("roles")), rs.getBoolean("enabled"),
				rs.getBoolean("password_change_required"),
				rs.getObject("created_at", OffsetDateTime.class).toInstant(),
				rs.getObject("updated_at", OffsetDateTime.class).toInstant());
	}

	private static String key(String username) {
		return username.toLowerCase(Locale.ROOT);
	}

	private static String join(Set<Role> roles) {
		return roles.stream().map(Role::name).sorted().collect(Collectors.joining(","));
	}

	private static Set<Role> split(String roles) {
		EnumSet<Role> set = EnumSet.noneOf(Role.class);
		Arrays.stream(roles.split(",")).filter((r) -> !r.isBlank()).map(Role::valueOf).forEach(set::add);
		return set;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
