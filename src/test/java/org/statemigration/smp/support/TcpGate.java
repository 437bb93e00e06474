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
 * A TCP relay in front of a server that can be shut like a failing network or a server that went away: while shut,
 * every relayed connection is closed and new ones are closed as soon as they are accepted; opened again, it relays
 * as before, on the same port.
 */
public final class TcpGate implements AutoCloseable {

	private final ServerSocket listener;

	private final URI target;

	private final Set<Socket> live = ConcurrentHashMap.newKeySet();

	private volatile boolean shut;

	private TcpGate(URI target) throws IOException {
		this.target = target;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "tcp-gate");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** A gate, open, to the host and port of an HTTP endpoint. */
	public static TcpGate to(URI target) throws IOException {
		return new TcpGate(target);
	}

	/** The endpoint through the gate. */
	public URI endpoint() {
		return URI.create(this.target.getScheme() + "://127.0.0.1:" + this.listener.getLocalPort());
	}

	/** Closes every connection and refuses new ones until {@link #open}. */
	public void shut() {
		this.shut = true;
		for (Socket socket : this.live) {
			closeQuietly(socket);
		}
	}

	public void open() {
		this.shut = false;
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				if (this.shut) {
					closeQuietly(client);
					continue;
				}
				Socket server = new Socket(this.target.getHost(), this.target.getPort());
				this.live.add(client);
				this.live.add(server);
				relay(client, server);
				relay(server, client);
			}
			catch (IOException ex) {
				// the listener closed, or the target refused: the client sees its connection end
			}
		}
	}

	private void relay(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
				this.live.remove(from);
				this.live.remove(to);
			}
		}, "tcp-gate-relay");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closed already
		}
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
		shut();
	}

}
