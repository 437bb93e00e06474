package org.statemigration.smp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between a server process and the test PostgreSQL server that can take the database away and give
 * it back, as an outage does, without touching the PostgreSQL server that other tests share: {@link #cut()}
 * closes every relayed connection and refuses new ones (accepted and closed at once) until {@link #restore()}.
 */
public final class DatabaseProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final String targetHost;

	private final int targetPort;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	private DatabaseProxy(String targetHost, int targetPort) throws IOException {
		this.targetHost = targetHost;
		this.targetPort = targetPort;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "database-proxy");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** A relay to the PostgreSQL server of {@link TestEnvironments#serverUrl()}. */
	public static DatabaseProxy toTestPostgres() throws IOException {
		URI server = URI.create(TestEnvironments.serverUrl().substring("jdbc:".length()));
		return new DatabaseProxy(server.getHost(), (server.getPort() > 0) ? server.getPort() : 5432);
	}

	/** The database's JDBC URL, rewritten to go through this relay. */
	public String relayed(String jdbcUrl) {
		return jdbcUrl.replace("//" + this.targetHost + ":" + this.targetPort + "/",
				"//127.0.0.1:" + this.listener.getLocalPort() + "/");
	}

	/** Takes the database away: open connections are closed, new ones refused. */
	public void cut() {
		this.cut = true;
		for (Socket socket : this.open) {
			closeQuietly(socket);
		}
		this.open.clear();
	}

	/** Gives the database back to new connections. */
	public void restore() {
		this.cut = false;
	}

	@Override
	public void close() throws IOException {
		cut();
		this.listener.close();
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				if (this.cut) {
					closeQuietly(client);
					continue;
				}
				Socket server = new Socket(this.targetHost, this.targetPort);
				this.open.add(client);
				this.open.add(server);
				if (this.cut) {
					// cut while this one was being connected
					closeQuietly(client);
					closeQuietly(server);
					continue;
				}
				pump(client.getInputStream(), server.getOutputStream(), client, server);
				pump(server.getInputStream(), client.getOutputStream(), client, server);
			}
			catch (IOException ex) {
				// the listener was closed, or the target refused: the client sees a closed connection
			}
		}
	}

	private void pump(InputStream in, OutputStream out, Socket client, Socket server) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			try {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side went away, or the relay was cut
			}
			finally {
				closeQuietly(client);
				closeQuietly(server);
				this.open.remove(client);
				this.open.remove(server);
			}
		}, "database-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// already closed
		}
	}

}
