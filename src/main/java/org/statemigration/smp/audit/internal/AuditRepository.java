package org.statemigration.smp.audit.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import org.statemigration.smp.audit.AuditOutcome;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The chained rows of the audit log. Appending locks {@code audit_head}, so events get consecutive sequence
 * numbers and each one the hash of the one before, whichever server of a cluster writes them.
 */
@Repository
public class AuditRepository {

	private final JdbcClient jdbc;

	AuditRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public void append(String actor, String action, String target, AuditOutcome outcome, String detail,
			String remoteAddress, Instant at) {
		Head head = this.jdbc.sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE")
			.query((rs, row) -> new Head(rs.getLong(1), rs.getString(2)))
			.single();
		long seq = head.seq() + 1;
		// microseconds: what both databases keep, so that the hash can be recomputed from the stored row
		Instant stored = at.truncatedTo(ChronoUnit.MICROS);
		String hash = hash(head.hash(), seq, stored, actor, action, target, outcome.name(), detail, remoteAddress);
		this.jdbc.sql("""
				INSERT INTO audit_event (seq, at, actor, action, target, outcome, detail, remote_address, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(seq, stored.atOffset(ZoneOffset.UTC), actor, action, target, outcome.name(), detail, remoteAddress,
					head.hash(), hash)
			.update();
		this.jdbc.sql("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1").params(seq, hash).update();
	}

	/**
	 * The hash of an event: SHA-256 over the previous hash and every field, each length-prefixed so that no two
	 * different events encode alike.
	 */
	public static String hash(String previous, long seq, Instant at, String actor, String action, String target,
			String outcome, String detail, String remoteAddress) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			for (String field : new String[] { previous, Long.toString(seq), at.toString(), actor, action, target,
					outcome, detail, remoteAddress }) {
				byte[] bytes = (field != null) ? field.getBytes(StandardCharsets.UTF_8) : new byte[0];
				digest.update((byte) ((field != null) ? 1 : 0));
				digest.update(new byte[] { (byte) (bytes.length >>> 24), (byte) (bytes.length >>> 16),
						(byte) (bytes.length >>> 8), (byte) bytes.length });
				digest.update(bytes);
			}
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Instant instant(OffsetDateTime value) {
		return value.toInstant();
	}

	private record Head(long seq, String hash) {
	}

}
