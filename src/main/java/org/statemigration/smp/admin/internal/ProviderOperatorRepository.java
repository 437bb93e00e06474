package org.statemigration.smp.admin.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.statemigration.smp.admin.ProviderOperator;
import org.statemigration.smp.admin.Role;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Rows of {@code provider_operator}: who signed in with the OpenID provider, and when last. */
@Repository
class ProviderOperatorRepository {

	private static final int MAX_NAME = 300;

	private static final int MAX_SUBJECT = 255;

	private static final int MAX_ISSUER = 500;

	/** The most rows the operators list shows, the latest sign-ins first. */
	static final int MAX_LISTED = 1000;

	private final JdbcClient jdbc;

	ProviderOperatorRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records a sign-in: the row of the issuer's subject is updated, or created at its first sign-in. */
	void recordSignIn(String issuer, String subject, String name, Set<Role> roles, Instant at) {
		String iss = cut(issuer, MAX_ISSUER);
		String sub = cut(subject, MAX_SUBJECT);
		String shown = cut(name, MAX_NAME);
		String joined = roles.stream().map(Role::name).sorted().collect(Collectors.joining(","));
		OffsetDateTime when = at.atOffset(ZoneOffset.UTC);
		if (update(iss, sub, shown, joined, when) > 0) {
			return;
		}
		try {
			this.jdbc.sql("""
					INSERT INTO provider_operator (issuer, subject, name, roles, first_sign_in_at, last_sign_in_at)
					VALUES (?, ?, ?, ?, ?, ?)""").params(iss, sub, shown, joined, when, when).update();
		}
		catch (DuplicateKeyException ex) {
			// the same operator signed in on another server at the same moment
			update(iss, sub, shown, joined, when);
		}
	}

	private int update(String issuer, String subject, String name, String roles, OffsetDateTime at) {
		return this.jdbc.sql("""
				UPDATE provider_operator SET name = ?, roles = ?, last_sign_in_at = ?
				WHERE issuer = ? AND subject = ?""").params(name, roles, at, issuer, subject).update();
	}

	List<ProviderOperator> list() {
		return this.jdbc.sql("""
				SELECT name, subject, issuer, roles, last_sign_in_at FROM provider_operator
				ORDER BY last_sign_in_at DESC, name FETCH FIRST %d ROWS ONLY""".formatted(MAX_LISTED))
			.query((rs, row) -> new ProviderOperator(rs.getString("name"), rs.getString("subject"),
					rs.getString("issuer"), roles(rs.getString("roles")),
					rs.getObject("last_sign_in_at", OffsetDateTime.class).toInstant()))
			.list();
	}

	private static Set<Role> roles(String joined) {
		EnumSet<Role> roles = EnumSet.noneOf(Role.class);
		Arrays.stream(joined.split(",")).filter((name) -> !name.isBlank()).map(Role::valueOf).forEach(roles::add);
		return roles;
	}

	private static String cut(String text, int max) {
		return (text.length() > max) ? text.substring(0, max) : text;
	}

}
