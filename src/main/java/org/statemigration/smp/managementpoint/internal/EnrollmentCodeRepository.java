package org.statemigration.smp.managementpoint.internal;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
public class EnrollmentCodeRepository {

	private final JdbcClient jdbc;

	EnrollmentCodeRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(UUID id, UUID computerId, String codeHash, Instant expiresAt, String createdBy, Instant now) {
		this.jdbc.sql("""
				INSERT INTO enrollment_code (id, computer_id, code_hash, expires_at, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?)""")
			.params(id, computerId, codeHash, utc(expiresAt), utc(now), createdBy)
			.update();
	}

	/** The unused, unexpired code with this hash. */
	public Optional<UnusedCode> findUsable(String codeHash, Instant now) {
		return this.jdbc.sql("""
				SELECT id, computer_id FROM enrollment_code
				WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?""")
			.params(codeHash, utc(now))
			.query((rs, row) -> new UnusedCode(rs.getObject("id", UUID.class), rs.getObject("computer_id", UUID.class)))
			.optional();
	}

	/** Spends the code; false if another request spent it first. */
	public boolean markUsed(UUID id, Instant now) {
		return this.jdbc.sql("UPDATE enrollment_code SET used_at = ? WHERE id = ? AND used_at IS NULL")
			.params(utc(now), id)
			.update() == 1;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	public record UnusedCode(UUID id, UUID computerId) {
	}

}
