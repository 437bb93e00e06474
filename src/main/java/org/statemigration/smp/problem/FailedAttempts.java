package org.statemigration.smp.problem;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Counts failed attempts per key (a remote address, a username) in a table of the database, so that every server
 * of a cluster counts the same failures: after {@code maxFailures} failures within {@code window} of the first one,
 * the key is barred for {@code barFor} from the last failure. Failures while barred do not extend the bar, so a
 * caller cannot be kept out for longer than that by someone else's attempts.
 * <p>
 * The table belongs to the module that counts, and has the columns {@code failure_key} (the primary key),
 * {@code first_failure_at}, {@code failures}, {@code barred_until} and {@code forget_after} (indexed). Each key is
 * a row of its own, updated in place by one conditional {@code UPDATE} (or inserted once, {@code ON CONFLICT DO
 * NOTHING}): failures for one key are serialised by that row's lock, and nothing else is, so a check or a failure
 * never waits for another key's. Asking whether a key is barred is a read by primary key. {@link #sweep()} deletes
 * the rows that no longer count and, should a flood of keys pass {@code maxKeys}, the ones nearest their end
 * (unbarred first), so that the table stays bounded.
 */
public final class FailedAttempts {

	private static final Pattern TABLE_NAME = Pattern.compile("[a-z_]+");

	private final JdbcClient jdbc;

	private final TransactionOperations transactions;

	private final String table;

	private final int maxFailures;

	private final Duration window;

	private final Duration barFor;

	private final int maxKeys;

	private final Clock clock;

	/**
	 * @param table the table of failures (one of the module's own)
	 * @param maxFailures failures within {@code window} that bar a key
	 * @param window the time from a key's first failure within which its failures are added up
	 * @param barFor how long a key is barred, from the failure that barred it
	 * @param maxKeys how many keys the table keeps at most after a {@link #sweep()}
	 */
	public FailedAttempts(JdbcClient jdbc, TransactionOperations transactions, String table, int maxFailures,
			Duration window, Duration barFor, int maxKeys, Clock clock) {
		if (!TABLE_NAME.matcher(table).matches()) {
			throw new IllegalArgumentException("Not a table name: " + table);
		}
		this.jdbc = jdbc;
		this.transactions = transactions;
		this.table = table;
		this.maxFailures = maxFailures;
		this.window = window;
		this.barFor = barFor;
		this.maxKeys = maxKeys;
		this.clock = clock;
	}

	/** How long the key is still barred, if it is. */
	public Optional<Duration> barred(String key) {
		Instant now = this.clock.instant();
		return this.jdbc.sql("SELECT barred_until FROM " + this.table + " WHERE failure_key = ?")
			.param(key)
			.query((rs, row) -> Optional.ofNullable(instant(rs, "barred_until")))
			.optional()
			.flatMap((until) -> until)
			.filter(now::isBefore)
			.map((until) -> Duration.between(now, until));
	}

	/**
	 * Counts a failure of the key, unless it is barred already.
	 * @return whether this failure barred the key
	 */
	public boolean recordFailure(String key) {
		Instant now = this.clock.instant();
		Boolean barred = this.transactions.execute((status) -> {
			if (countOn(key, now)) {
				return failuresOf(key) >= this.maxFailures;
			}
			if (insertFirst(key, now)) {
				return this.maxFailures <= 1;
			}
			// another server inserted the row meanwhile (then count on it), or the key is barred (nothing to count)
			return countOn(key, now) && failuresOf(key) >= this.maxFailures;
		});
		return Boolean.TRUE.equals(barred);
	}

	/** Forgets the key's failures (after a success that proves the caller legitimate). */
	public void forget(String key) {
		this.jdbc.sql("DELETE FROM " + this.table + " WHERE failure_key = ?").param(key).update();
	}

	/**
	 * Deletes the keys whose failures no longer count (their window or their bar is over), then, if more than
	 * {@code maxKeys} are left, those nearest their end, unbarred ones first. Every server may run it at any time:
	 * running it twice does nothing more.
	 * @return how many keys were deleted
	 */
	public int sweep() {
		int deleted = this.jdbc.sql("DELETE FROM " + this.table + " WHERE forget_after <= ?")
			.param(utc(this.clock.instant()))
			.update();
		int excess = this.jdbc.sql("SELECT COUNT(*) FROM " + this.table).query(Integer.class).single() - this.maxKeys;
		if (excess > 0) {
			deleted += this.jdbc
				.sql("DELETE FROM " + this.table + " WHERE failure_key IN (SELECT failure_key FROM " + this.table
						+ " ORDER BY CASE WHEN barred_until IS NULL THEN 0 ELSE 1 END, forget_after"
						+ " FETCH FIRST ? ROWS ONLY)")
				.param(excess)
				.update();
		}
		return deleted;
	}

	/**
	 * Adds a failure to the key's row unless the key is barred: a row whose bar is over, or whose window has
	 * passed, starts again from this failure. Every expression reads the row as it was before this update; an
	 * unbarred row is forgotten at the end of its window ({@code first_failure_at + window}), a barred one at the
	 * end of its bar.
	 */
	private boolean countOn(String key, Instant now) {
		String restart = "(barred_until IS NOT NULL OR first_failure_at <= :windowStart)";
		String failures = "CASE WHEN " + restart + " THEN 1 ELSE failures + 1 END";
		String firstFailure = "CASE WHEN " + restart + " THEN :now ELSE first_failure_at END";
		return this.jdbc
			.sql("UPDATE " + this.table + " SET first_failure_at = " + firstFailure + ", failures = " + failures
					+ ", barred_until = CASE WHEN " + failures + " >= :max THEN :barredUntil ELSE NULL END"
					+ ", forget_after = CASE WHEN " + failures + " >= :max THEN :barredUntil WHEN " + restart
					+ " THEN :windowEnd ELSE forget_after END"
					+ " WHERE failure_key = :key AND (barred_until IS NULL OR barred_until <= :now)")
			.param("now", utc(now))
			.param("windowStart", utc(now.minus(this.window)))
			.param("max", this.maxFailures)
			.param("barredUntil", utc(now.plus(this.barFor)))
			.param("windowEnd", utc(now.plus(this.window)))
			.param("key", key)
			.update() == 1;
	}

	private boolean insertFirst(String key, Instant now) {
		boolean bars = this.maxFailures <= 1;
		Instant barredUntil = bars ? now.plus(this.barFor) : null;
		return this.jdbc
			.sql("INSERT INTO " + this.table + " (failure_key, first_failure_at, failures, barred_until, forget_after)"
					+ " VALUES (?, ?, 1, ?, ?) ON CONFLICT DO NOTHING")
			.params(key, utc(now), (barredUntil != null) ? utc(barredUntil) : null,
					utc(bars ? barredUntil : now.plus(this.window)))
			.update() == 1;
	}

	/** The count after this transaction's own update: the row stays locked by it until commit. */
	private int failuresOf(String key) {
		return this.jdbc.sql("SELECT failures FROM " + this.table + " WHERE failure_key = ?")
			.param(key)
			.query(Integer.class)
			.single();
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return (value != null) ? value.toInstant() : null;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
