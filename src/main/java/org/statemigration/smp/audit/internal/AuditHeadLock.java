package org.statemigration.smp.audit.internal;

import java.sql.DatabaseMetaData;

import javax.sql.DataSource;

import org.statemigration.smp.audit.AuditProperties;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Component;

/**
 * Locks the head of the audit chain for an append, waiting at most {@code smp.audit.lock-timeout}: whoever holds
 * the head (another append, or a session left open on it) makes this append fail fast with a
 * {@link org.springframework.dao.DataAccessException} rather than keep a pooled connection waiting. The short
 * timeout applies to this one lock: the connection's own lock timeout is put back once it is taken. Once the head
 * is locked, it also looks for rows past it, which only a direct write to the database leaves there.
 */
@Component
class AuditHeadLock {

	private static final String SELECT_HEAD = "SELECT last_seq, last_hash FROM audit_head WHERE id = 1";

	// 0 when there is none: sequence numbers start at 1
	private static final String FIRST_PAST_HEAD = "(SELECT COALESCE(MIN(seq), 0) FROM audit_event WHERE seq > ?)";

	private final JdbcClient jdbc;

	private final DataSource dataSource;

	private final long timeoutMillis;

	private volatile String product;

	AuditHeadLock(JdbcClient jdbc, DataSource dataSource, AuditProperties properties) {
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.timeoutMillis = Math.max(1, properties.lockTimeout().toMillis());
	}

	/** Locks the head row in the current transaction and reads it, with the first row past it if there is one. */
	Head lock() {
		return switch (product()) {
			case "PostgreSQL" -> lockOnPostgres();
			case "H2" -> lockOnH2();
			default -> withFirstPastHead(selectForUpdate());
		};
	}

	private Head lockOnPostgres() {
		// set_config(..., true) is SET LOCAL: it ends with the transaction at the latest
		String previous = this.jdbc
			.sql("SELECT current_setting('lock_timeout'), set_config('lock_timeout', ?, true)")
			.param(this.timeoutMillis + "ms")
			.query((rs, row) -> rs.getString(1))
			.single();
		Head head = selectForUpdate();
		// the connection's own timeout back, and the look past the head, in one round trip while the head is held
		long firstPast = this.jdbc.sql("SELECT set_config('lock_timeout', ?, true), " + FIRST_PAST_HEAD)
			.params(previous, head.seq())
			.query((rs, row) -> rs.getLong(2))
			.single();
		return new Head(head.seq(), head.hash(), firstPast);
	}

	private Head lockOnH2() {
		// H2's lock timeout belongs to the session and is not rolled back: put it back whatever happens
		Integer previous = this.jdbc.sql("SELECT LOCK_TIMEOUT()").query(Integer.class).single();
		this.jdbc.sql("SET LOCK_TIMEOUT " + this.timeoutMillis).update();
		Head head;
		try {
			head = selectForUpdate();
		}
		finally {
			this.jdbc.sql("SET LOCK_TIMEOUT " + previous).update();
		}
		return withFirstPastHead(head);
	}

	private Head selectForUpdate() {
		return this.jdbc.sql(SELECT_HEAD + " FOR UPDATE")
			.query((rs, row) -> new Head(rs.getLong(1), rs.getString(2), 0))
			.single();
	}

	private Head withFirstPastHead(Head head) {
		long firstPast = this.jdbc.sql("SELECT " + FIRST_PAST_HEAD).param(head.seq()).query(Long.class).single();
		return new Head(head.seq(), head.hash(), firstPast);
	}

	/** Whether the audit log is in PostgreSQL, which takes the event and the head's move in one statement. */
	boolean onPostgres() {
		return product().equals("PostgreSQL");
	}

	private String product() {
		String name = this.product;
		if (name == null) {
			try {
				name = JdbcUtils.extractDatabaseMetaData(this.dataSource, DatabaseMetaData::getDatabaseProductName);
			}
			catch (MetaDataAccessException ex) {
				throw new IllegalStateException("Cannot tell which database holds the audit log", ex);
			}
			this.product = name;
		}
		return name;
	}

	/**
	 * The head as locked: the newest sequence number and hash.
	 * @param firstPast the first sequence number past the head, or 0 if there is none (as there should be)
	 */
	record Head(long seq, String hash, long firstPast) {
	}

}
