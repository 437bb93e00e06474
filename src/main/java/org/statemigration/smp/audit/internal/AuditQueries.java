package org.statemigration.smp.audit.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.statemigration.smp.audit.AuditEvent;
import org.statemigration.smp.audit.AuditFilter;
import org.statemigration.smp.audit.AuditOutcome;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Reads the audit log: filtered pages for people, and the chain in order for verification. */
@Repository
public class AuditQueries {

	private static final String COLUMNS = "seq, at, actor, action, target, outcome, detail, remote_address, "
			+ "prev_hash, hash FROM audit_event";

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

	/** The newest sequence number and hash, as the last append left them. */
	public ChainHead head() {
		return this.jdbc.sql("SELECT last_seq, last_hash FROM audit_head WHERE id = 1")
			.query((rs, row) -> new ChainHead(rs.getLong(1), rs.getString(2)))
			.single();
	}

	private static StoredAuditEvent map(ResultSet rs) throws SQLException {
		AuditEvent event = new AuditEvent(rs.getLong("seq"), rs.getObject("at", OffsetDateTime.class).toInstant(),
				rs.getString("actor"), rs.getString("action"), rs.getString("target"),
				AuditOutcome.valueOf(rs.getString("outcome")), rs.getString("detail"), rs.getString("remote_address"));
		return new StoredAuditEvent(event, rs.getString("prev_hash"), rs.getString("hash"));
	}

	private static Where where(AuditFilter filter) {
		List<String> conditions = new ArrayList<>();
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
		String sql = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
		return new Where(sql, params);
	}

	/** The head of the chain: the newest sequence number and hash. */
	public record ChainHead(long seq, String hash) {
	}

	private record Where(String sql, List<Object> params) {
	}

}
