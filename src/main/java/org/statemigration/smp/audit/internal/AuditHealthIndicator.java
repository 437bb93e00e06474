package org.statemigration.smp.audit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The {@code audit} health component: DOWN when an audit record could not be written now, since sensitive actions
 * are refused then (DESIGN 10). It writes no record: it updates no row of the chain's head table and rolls back,
 * which fails where an append would (database unreachable, closed, read-only) but waits for no lock: a head that
 * another transaction holds means a busy log, not a broken one; and if
 * the data directory has an {@code audit} folder (the audit file's), that folder must take a new file and have
 * room left. A missing folder is not a failure: the audit file is optional.
 */
@Component("audit")
class AuditHealthIndicator implements HealthIndicator {

	private static final Log logger = LogFactory.getLog(AuditHealthIndicator.class);

	/** Less room than this and the next records may not fit. */
	private static final long MIN_FREE_BYTES = 1024 * 1024;

	/** Seconds to wait for the head row, which an append holds for moments only. */
	private static final int LOCK_WAIT_SECONDS = 5;

	private final JdbcTemplate jdbc;

	private final TransactionTemplate transactions;

	private final Path folder;

	AuditHealthIndicator(DataSource dataSource, PlatformTransactionManager transactions,
			@Value("${smp.data-dir}") Path dataDir) {
		this.jdbc = new JdbcTemplate(dataSource);
		this.jdbc.setQueryTimeout(LOCK_WAIT_SECONDS);
		this.transactions = new TransactionTemplate(transactions);
		this.folder = dataDir.resolve("audit");
	}

	@Override
	public Health health() {
		boolean database = databaseWritable();
		Health.Builder health = database ? Health.up() : Health.down();
		health.withDetail("databaseWritable", database);
		if (Files.isDirectory(this.folder)) {
			boolean file = folderWritable();
			health.withDetail("fileWritable", file);
			if (!file) {
				health.down();
			}
		}
		return health.build();
	}

	private boolean databaseWritable() {
		try {
			this.transactions.executeWithoutResult((status) -> {
				// an update of the head's table that matches no row: refused where an append would be (database
				// unreachable, closed, read-only, no right to write), yet it waits for no row lock, so a head held
				// by an append (or by a session left open on it) leaves health answering at once; audited actions
				// then fail on their own lock timeout
				this.jdbc.update("UPDATE audit_head SET last_seq = last_seq WHERE id = -1");
				status.setRollbackOnly();
			});
			return true;
		}
		catch (RuntimeException ex) {
			logger.debug("The audit log's head cannot be written", ex);
			return false;
		}
	}

	private boolean folderWritable() {
		try {
			if (Files.getFileStore(this.folder).getUsableSpace() < MIN_FREE_BYTES) {
				return false;
			}
			Path probe = Files.createTempFile(this.folder, ".health-", ".tmp");
			Files.delete(probe);
			return true;
		}
		catch (IOException | SecurityException ex) {
			logger.debug("The audit folder " + this.folder + " cannot be written", ex);
			return false;
		}
	}

}
