package org.statemigration.smp.audit.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.internal.AuditHeadLock.Head;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The chained rows of the audit log. Appending locks {@code audit_head}, so events get consecutive sequence
 * numbers and each one the MAC of the one before, whichever server of a cluster writes them. Each event is MACed
 * with the audit key of the current key-encryption key version, and copied to the {@link AuditFile} once
 * committed.
 */
@Repository
public class AuditRepository {

	private static final Log logger = LogFactory.getLog(AuditRepository.class);

	private static final String COLUMNS = "seq, at, actor, action, target, outcome, detail, remote_address, prev_hash, "
			+ "hash, key_version";

	private static final String INSERT_EVENT = "INSERT INTO audit_event (" + COLUMNS
			+ ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

	private static final String ADVANCE_HEAD = "UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1";

	private final JdbcClient jdbc;

	private final AuditHeadLock headLock;

	private final AuditKeys keys;

	private final AuditFile file;

	AuditRepository(JdbcClient jdbc, AuditHeadLock headLock, AuditKeys keys, AuditFile file) {
		this.jdbc = jdbc;
		this.headLock = headLock;
		this.keys = keys;
		this.file = file;
	}

	public void append(String actor, String action, String target, AuditOutcome outcome, String detail,
			String remoteAddress, Instant at) {
		Head head = this.headLock.lock();
		if (head.firstPast() > 0) {
			setAsideRowsPastTheHead(head.seq(), head.firstPast(), at);
		}
		long seq = head.seq() + 1;
		// microseconds: what both databases keep, so that the MAC can be recomputed from the stored row
		Instant stored = at.truncatedTo(ChronoUnit.MICROS);
		int version = this.keys.currentVersion();
		String mac = this.keys.mac(version, ChainEncoding.encode(head.hash(), seq, stored, actor, action, target,
				outcome.name(), detail, remoteAddress));
		Object[] event = { seq, stored.atOffset(ZoneOffset.UTC), actor, action, target, outcome.name(), detail,
				remoteAddress, head.hash(), mac, version };
		if (this.headLock.onPostgres()) {
			// one round trip while the head is held, which every other append waits for
			this.jdbc.sql("WITH event AS (" + INSERT_EVENT + ") " + ADVANCE_HEAD).params(event).param(seq).param(mac)
				.update();
		}
		else {
			this.jdbc.sql(INSERT_EVENT).params(event).update();
			this.jdbc.sql(ADVANCE_HEAD).params(seq, mac).update();
		}
		this.file.appendAfterCommit(
				new AuditFileLine(seq, stored.toString(), actor, action, target, outcome.name(), version, mac));
	}

	/**
	 * Rows past the head can only come from a direct write to the database. Left in place they would take the
	 * sequence number of the next genuine event and so block the log; they are moved aside instead, where
	 * verification keeps reporting them.
	 */
	private void setAsideRowsPastTheHead(long headSeq, long first, Instant now) {
		int moved = this.jdbc.sql("INSERT INTO audit_event_orphan (" + COLUMNS + ", set_aside_at) SELECT " + COLUMNS
				+ ", ? FROM audit_event WHERE seq > ?")
			.params(now.atOffset(ZoneOffset.UTC), headSeq)
			.update();
		this.jdbc.sql("DELETE FROM audit_event WHERE seq > ?").param(headSeq).update();
		logger.warn(moved + " audit row(s) past the head of the chain (from number " + first
				+ ") were written directly to the database; moved to audit_event_orphan");
	}

	/**
	 * The plain SHA-256 hash of an event, as the chain used before it was keyed: over the previous hash and every
	 * field, each length-prefixed.
	 */
	public static String hash(String previous, long seq, Instant at, String actor, String action, String target,
			String outcome, String detail, String remoteAddress) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256")
					.digest(ChainEncoding.encode(previous, seq, at, actor, action, target, outcome, detail,
							remoteAddress)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
