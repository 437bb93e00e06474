package org.statemigration.smp.audit.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private static final String INSERT_EVENTS = "INSERT INTO audit_event (" + COLUMNS + ") VALUES ";

	private static final String EVENT_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

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

	/**
	 * Appends the events in their order, under one lock of the head and in one statement on PostgreSQL: each takes
	 * the next sequence number and the MAC of the one before.
	 */
	public void appendAll(List<NewAuditEvent> events) {
		Head head = this.headLock.lock();
		if (head.firstPast() > 0) {
			setAsideRowsPastTheHead(head.seq(), head.firstPast(), events.get(0).at());
		}
		long seq = head.seq();
		String previous = head.hash();
		int version = this.keys.currentVersion();
		List<Object> params = new ArrayList<>(events.size() * 11 + 2);
		List<AuditFileLine> lines = new ArrayList<>(events.size());
		for (NewAuditEvent event : events) {
			seq++;
			// microseconds: what both databases keep, so that the MAC can be recomputed from the stored row
			Instant stored = event.at().truncatedTo(ChronoUnit.MICROS);
			String outcome = event.outcome().name();
			String mac = this.keys.mac(version, ChainEncoding.encode(previous, seq, stored, event.actor(),
					event.action(), event.target(), outcome, event.detail(), event.remoteAddress()));
			params.addAll(Arrays.asList(seq, stored.atOffset(ZoneOffset.UTC), event.actor(), event.action(),
					event.target(), outcome, event.detail(), event.remoteAddress(), previous, mac, version));
			lines.add(new AuditFileLine(seq, stored.toString(), event.actor(), event.action(), event.target(),
					outcome, version, mac));
			previous = mac;
		}
		String insert = INSERT_EVENTS + String.join(", ", Collections.nCopies(events.size(), EVENT_VALUES));
		if (this.headLock.onPostgres()) {
			// one round trip while the head is held, which every other append waits for
			params.addAll(List.of(seq, previous));
			this.jdbc.sql("WITH event AS (" + insert + ") " + ADVANCE_HEAD).params(params).update();
		}
		else {
			this.jdbc.sql(insert).params(params).update();
			this.jdbc.sql(ADVANCE_HEAD).params(seq, previous).update();
		}
		lines.forEach(this.file::appendAfterCommit);
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
