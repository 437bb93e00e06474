package org.statemigration.smp.config;

import java.sql.SQLException;

import com.zaxxer.hikari.SQLExceptionOverride;

/**
 * Makes the connection pool throw away a connection to an embedded H2 database that has been closed (H2 closes
 * it when a write fails, e.g. on a full disk). H2 still calls such a connection valid and its errors carry no
 * connection SQLSTATE, so the pool would otherwise keep handing out dead connections until a restart; once they
 * are gone, the next new connection opens the database file again. Named in
 * {@code spring.datasource.hikari.exception-override-class-name}, hence public.
 */
public final class ClosedDatabaseEviction implements SQLExceptionOverride {

	private static final int H2_DATABASE_IS_CLOSED = 90098;

	private static final int H2_DATABASE_CALLED_AT_SHUTDOWN = 90121;

	@java.lang.Override
	public Override adjudicate(SQLException ex) {
		int code = ex.getErrorCode();
		return (code == H2_DATABASE_IS_CLOSED || code == H2_DATABASE_CALLED_AT_SHUTDOWN) ? Override.MUST_EVICT
				: Override.CONTINUE_EVICT;
	}

}
