package org.statemigration.smp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP relay in front of a test server that can break a connection in the middle, as a failing network does:
 * TLS passes through it untouched (the client still sees the server's certificate), and {@link #cutOnceAfter}
 * closes the next connection that carries more than the given number of bytes towards the client.
 */
public final class InterruptingProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final int targetPort;

	private final AtomicLong bytesToClient = new AtomicLong();

	private final AtomicLong bytesToServer = new AtomicLong();

	private final AtomicLong cutAfter = new AtomicLong(-1);

	private final AtomicLong cutUploadAfter = new AtomicLong(-1);

	private final AtomicLong stallAfter = new AtomicLong(-1);

	private InterruptingProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "interrupting-proxy");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/** A relay to {@code 127.0.0.1:targetPort}. */
	public static InterruptingProxy to(int targetPort) throws IOException {
		return new InterruptingProxy(targetPort);
	}

	/** The relay's address as a client uses it. */
	public URI uri() {
		return URI.create("https://localhost:" + this.listener.getLocalPort() + "/");
	}

	/** Closes the next connection that would carry more than this many bytes to the client, at that byte. */
	public void cutOnceAfter(long bytes) {
		this.cutAfter.set(bytes);
	}

	/**
	 * Stops relaying, without closing, the next connection that would carry more than this many bytes to the
	 * client: the client waits for data that never comes, until it gives up on the connection.
	 */
	public void stallOnceAfter(long bytes) {
		this.stallAfter.set(bytes);
	}

	/** Closes the next connection that would carry more than this many bytes to the server, at that byte. */
	public void cutUploadOnceAfter(long bytes) {
		this.cutUploadAfter.set(bytes);
	}

	/** Bytes relayed towards clients since the start or the last {@link #resetCount()}. */
	public long bytesToClient() {
		return this.bytesToClient.get();
	}

	/** Bytes relayed towards the server since the start or the last {@link #resetCount()}. */
	public long bytesToServer() {
		return this.bytesToServer.get();
	}

	public void resetCount() {
		this.bytesToClient.set(0);
		this.bytesToServer.set(0);
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				Socket server = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				pump(client.getInputStream(), server.getOutputStream(), client, server, false);
				pump(server.getInputStream(), client.getOutputStream(), client, server, true);
			}
			catch (IOException ex) {
				// closed, or the target is down: the client sees a closed connection
			}
		}
	}

	private void pump(InputStream in, OutputStream out, Socket client, Socket server, boolean toClient) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16 * 1024];
			long relayed = 0;
			try {
				int read;
				AtomicLong cut = toClient ? this.cutAfter : this.cutUploadAfter;
				AtomicLong count = toClient ? this.bytesToClient : this.bytesToServer;
				while ((read = in.read(buffer)) != -1) {
					long stall = toClient ? this.stallAfter.get() : -1;
					if (stall >= 0 && relayed + read > stall && this.stallAfter.compareAndSet(stall, -1)) {
						out.write(buffer, 0, (int) (stall - relayed));
						out.flush();
						while (!client.isClosed() && !this.listener.isClosed()) {
							Thread.sleep(50);
						}
						break;
					}
					long limit = cut.get();
					if (limit >= 0 && relayed + read > limit && cut.compareAndSet(limit, -1)) {
						int allowed = (int) (limit - relayed);
						out.write(buffer, 0, allowed);
						out.flush();
						count.addAndGet(allowed);
						break;
					}
					count.addAndGet(read);
					out.write(buffer, 0, read);
					out.flush();
					relayed += read;
				}
			}
			catch (IOException ex) {
				// one side went away
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				closeQuietly(client);
				closeQuietly(server);
			}
		}, "interrupting-proxy-pump");
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
