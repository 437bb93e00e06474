package org.statemigration.smp.audit.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.statemigration.smp.audit.AuditEvent;
import org.statemigration.smp.audit.AuditFilter;
import org.statemigration.smp.audit.AuditOutcome;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the audit log: filtered pages for people, and the chain in order for verification. */
@Repository
public class AuditQueries {

	private static final String COLUMNS = "seq, at, actor, action, target, outcome, detail, remote_address, "
			+ "prev_hash, hash, key_version FROM audit_event";

	// rows past the head were never appended by smp: the listing does not show them as events
	private static final String UP_TO_HEAD = "seq <= (SELECT last_seq FROM audit_head WHERE id = 1)";

	private final JdbcClient jdbc;

	AuditQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	public List<AuditEvent> search(AuditFilter filter, long offset, int limit) {
		Where where = where(filter);
		return this.jdbc
			.sql("SELECT " + COLUMNS + where.sql + " ORDER BY seq DESC OFFSET " + offset + " ROWS FETCH FIRST " + limit
					+ " ROWS ONLY")
			.params(where.params)
			.query((rs, row) -> map(rs).event())
			.list();
	}

	public long count(AuditFilter filter) {
		Where where = where(filter);
		return this.jdbc.sql("SELECT COUNT(*) FROM audit_event" + where.sql)
			.params(where.params)
			.query(Long.class)
			.single();
	}

	/** Up to {@code limit} stored events with a sequence number above {@code afterSeq}, in order. */
	public List<StoredAuditEvent> chainAfter(long afterSeq, long upToSeq, int limit) {
		return this.jdbc
			.sql("SELECT " + COLUMNS + " WHERE seq > ? AND seq <= ? ORDER BY seq FETCH FIRST " + limit + " ROWS ONLY")
			.params(afterSeq, upToSeq)
			.query((rs, row) -> map(rs))
			.list();
	}

	/** The newest sequence number and hash, as the last append left them, and where the keyed chain starts. */
	public ChainHead head() {
		return this.jdbc.sql("SELECT last_seq, last_hash, keyed_from_seq FROM audit_head WHERE id = 1")
			.query((rs, row) -> {
				long keyedFrom = rs.getLong(3);
				// no record of where it starts: every event must be keyed
				boolean unknown = rs.wasNull();
				return new ChainHead(rs.getLong(1), rs.getString(2), unknown ? 1 : keyedFrom);
			})
			.single();
	}

	/** The lowest sequence number of a row past the given head, if there is one. */
	Long firstPast(long headSeq) {
		return this.jdbc.sql("SELECT seq FROM audit_event WHERE seq > ? ORDER BY seq FETCH FIRST 1 ROWS ONLY")
			.param(headSeq)
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	/** The lowest sequence number among the rows that appends found past the head and set aside. */
	Long firstSetAside() {
		return this.jdbc.sql("SELECT seq FROM audit_event_orphan ORDER BY seq FETCH FIRST 1 ROWS ONLY")
			.query(Long.class)
			.optional()
			.orElse(null);
	}

	/** The stored hash (or MAC) of each event numbered from {@code first} to {@code last}. */
	Map<Long, String> hashes(long first, long last) {
		Map<Long, String> hashes = new HashMap<>();
		this.jdbc.sql("SELECT seq, hash FROM audit_event WHERE seq >= ? AND seq <= ?")
			.params(first, last)
			.query((rs, row) -> hashes.put(rs.getLong(1), rs.getString(2)))
			.list();
		return hashes;
	}

	private static StoredAuditEvent map(ResultSet rs) throws SQLException {
		String outcome = rs.getString("outcome");
		AuditEvent event = new AuditEvent(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(),
				rs.getString("actor"), rs.getString("action"), rs.getString("target"), outcome(outcome),
				rs.getString("detail"), rs.getString("remote_address"));
		int keyVersion = rs.getInt("key_version");
		Integer version = rs.wasNull() ? null : keyVersion;
		return new StoredAuditEvent(event, outcome, rs.getString("prev_hash"), rs.getString("hash"), version);
	}

	// a row written directly to the database may hold anything: show it, and let verification name it
	private static AuditOutcome outcome(String stored) {
		for (AuditOutcome outcome : AuditOutcome.values()) {
			if (outcome.name().equals(stored)) {
				return outcome;
			}
		}
		return null;
	}

	private static Where where(AuditFilter filter) {
		List<String> conditions = new ArrayList<>();
		conditions.add(UP_TO_HEAD);
		List<Object> params = new ArrayList<>();
		if (filter.from() != null) {
			conditions.add("at >= ?");
			params.add(filter.from().atOffset(ZoneOffset.UTC));
		}
		if (filter.to() != null) {
			conditions.add("at < ?");
			params.add(filter.to().atOffset(ZoneOffset.UTC));
		}
		if (filter.actor() != null) {
			conditions.add("actor = ?");
			params.add(filter.actor());
		}
		if (filter.action() != null) {
			conditions.add("action = ?");
			params.add(filter.action());
		}
		String sql = " WHERE " + String.join(" AND ", conditions);
		return new Where(sql, params);
	}

	/**
	 * The head of the chain: the newest sequence number and hash, and the first sequence number of the keyed
	 * chain (events before it were written, unkeyed, by an older version).
	 */
	public record ChainHead(long seq, String hash, long keyedFromSeq) {
	}

	private record Where(String sql, List<Object> params) {
	}

}
