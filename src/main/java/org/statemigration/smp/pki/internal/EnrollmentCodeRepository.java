package org.statemigration.smp.pki.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Enrollment codes by their SHA-256: the code itself is never stored, and a code presented later is found by the
 * hash of what was typed in.
 */
@Repository
public class EnrollmentCodeRepository {

	private final JdbcClient jdbc;

	EnrollmentCodeRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void insert(UUID id, UUID computerId, String code, Instant expiresAt, String createdBy, Instant now) {
		this.jdbc.sql("""
				INSERT INTO enrollment_code (id, computer_id, code_hash, expires_at, created_at, created_by)
				VALUES (?, ?, ?, ?, ?, ?)""")
			.params(id, computerId, hash(code), utc(expiresAt), utc(now), createdBy)
			.update();
	}

	/** The unused, unexpired code that was presented. */
	public Optional<UnusedCode> findUsable(String code, Instant now) {
		return this.jdbc.sql("""
				SELECT id, computer_id FROM enrollment_code
				WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?""")
			.params(hash(code), utc(now))
			.query((rs, row) -> new UnusedCode(rs.getObject("id", UUID.class), rs.getObject("computer_id", UUID.class)))
			.optional();
	}

	/** Spends the code; false if another request spent it first. */
	public boolean markUsed(UUID id, Instant now) {
		return this.jdbc.sql("UPDATE enrollment_code SET used_at = ? WHERE id = ? AND used_at IS NULL")
			.params(utc(now), id)
			.update() == 1;
	}

	/** Dashes, spaces and case do not matter when a code is typed in. */
	private static String hash(String code) {
		String normalized = code.replace("-", "").replace(" ", "").toUpperCase(Locale.ROOT);
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(normalized.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

	public record UnusedCode(UUID id, UUID computerId) {
	}

}
