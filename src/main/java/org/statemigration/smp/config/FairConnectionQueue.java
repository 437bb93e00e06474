package org.statemigration.smp.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Hands out the pool's connections in the order they were asked for. The pool itself lets a thread that asks for a
 * connection take one just given back ahead of the threads already waiting, which favours throughput: under a
 * steady stream of requests from many computers, most got a connection in milliseconds while a few waited past the
 * pool's connection timeout and were answered 503 {@code database-unavailable}, with the database answering all
 * along. A fair semaphore with one permit per pooled connection queues them: a request waits its turn, and only a
 * queue longer than the connection timeout turns requests away.
 */
final class FairConnectionQueue extends DelegatingDataSource implements AutoCloseable {

	private final Semaphore turns;

	private final long timeoutMillis;

	/**
	 * @param pool the pool
	 * @param connections the most connections the pool holds: as many turns are given out at once
	 * @param timeoutMillis how long a request waits for its turn
	 */
	FairConnectionQueue(DataSource pool, int connections, long timeoutMillis) {
		super(pool);
		this.turns = new Semaphore(connections, true);
		this.timeoutMillis = timeoutMillis;
	}

	@Override
	public Connection getConnection() throws SQLException {
		return inTurn(() -> obtainTargetDataSource().getConnection());
	}

	@Override
	public Connection getConnection(String username, String password) throws SQLException {
		return inTurn(() -> obtainTargetDataSource().getConnection(username, password));
	}

	/** Requests waiting for a connection now. */
	int waiting() {
		return this.turns.getQueueLength();
	}

	private void awaitTurn() throws SQLException {
		try {
			if (!this.turns.tryAcquire(this.timeoutMillis, TimeUnit.MILLISECONDS)) {
				throw new SQLTransientConnectionException("No database connection came free within "
						+ this.timeoutMillis + " ms (" + this.turns.getQueueLength() + " more requests waiting)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SQLTransientConnectionException("Interrupted while waiting for a database connection", ex);
		}
	}

	/** A connection from the pool once it is this request's turn; the turn is given back if none comes. */
	private Connection inTurn(PooledConnection pooled) throws SQLException {
		awaitTurn();
		try {
			return givingTheTurnBackOnClose(pooled.get());
		}
		catch (SQLException | RuntimeException | Error ex) {
			this.turns.release();
			throw ex;
		}
	}

	/** The connection, whose first close gives its turn back. */
	private Connection givingTheTurnBackOnClose(Connection connection) {
		AtomicBoolean closed = new AtomicBoolean();
		return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] { Connection.class },
				(proxy, method, arguments) -> switch (method.getName()) {
					case "equals" -> proxy == arguments[0];
					case "hashCode" -> System.identityHashCode(proxy);
					case "toString" -> "in turn: " + connection;
					case "close" -> {
						try {
							connection.close();
						}
						finally {
							if (closed.compareAndSet(false, true)) {
								this.turns.release();
							}
						}
						yield null;
					}
					default -> {
						try {
							yield method.invoke(connection, arguments);
						}
						catch (InvocationTargetException ex) {
							throw ex.getTargetException();
						}
					}
				});
	}

	/** How a connection is taken from the pool. */
	@FunctionalInterface
	private interface PooledConnection {

		Connection get() throws SQLException;

	}

	/** Closes the pool with the application. */
	@Override
	public void close() throws Exception {
		if (obtainTargetDataSource() instanceof AutoCloseable pool) {
			pool.close();
		}
	}

}
