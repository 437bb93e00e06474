package org.statemigration.smp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP relay in front of a server that can be shut like a failing network or a server that went away: while shut,
 * every relayed connection is closed and new ones are closed as soon as they are accepted; opened again, it relays
 * as before, on the same port. It can also hold back the answers to some HTTP requests, like a server that did
 * what it was asked and then went silent: the request reaches the server whole, its answer (past any
 * {@code 100 Continue}) waits in the gate until {@link #releaseAnswers}.
 */
public final class TcpGate implements AutoCloseable {

	private static final Pattern REQUEST_LINE = Pattern
		.compile("(?:GET|PUT|POST|DELETE|HEAD) /\\S* HTTP/1\\.1\r\n");

	private final ServerSocket listener;

	private final URI target;

	private final Set<Socket> live = ConcurrentHashMap.newKeySet();

	private volatile boolean shut;

	/** The request lines whose answers are held back, or null while none are. */
	private volatile Predicate<String> held;

	/** The line of the first request whose answer was held back since {@link #holdAnswersTo}. */
	private final AtomicReference<String> firstHeld = new AtomicReference<>();

	private final Object answers = new Object();

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

	/**
	 * From now on, holds back the answers to the requests whose request line ({@code PUT /bucket/key?query
	 * HTTP/1.1}) matches, until {@link #releaseAnswers}.
	 */
	public void holdAnswersTo(Predicate<String> requestLine) {
		this.firstHeld.set(null);
		this.held = requestLine;
	}

	/** Waits until the server answered a request whose answer is held back; returns that request's line. */
	public String awaitHeldAnswer(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.firstHeld.get() == null) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("No answer held back within " + timeout);
			}
			Thread.sleep(10);
		}
		return this.firstHeld.get();
	}

	/** Lets the answers held back go, and holds no more. */
	public void releaseAnswers() {
		synchronized (this.answers) {
			this.held = null;
			this.answers.notifyAll();
		}
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
				AtomicReference<String> requestLine = new AtomicReference<>("");
				relay(client, server, requestLine, false);
				relay(server, client, requestLine, true);
			}
			catch (IOException ex) {
				// the listener closed, or the target refused: the client sees its connection end
			}
		}
	}

	/**
	 * Relays one direction of a connection: requests note their request line, answers wait while the request
	 * they answer is held back.
	 */
	private void relay(Socket from, Socket to, AtomicReference<String> requestLine, boolean answers) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[64 * 1024];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					String text = new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
					if (!answers) {
						Matcher line = REQUEST_LINE.matcher(text);
						while (line.find()) {
							requestLine.set(line.group().strip());
						}
					}
					else if (!text.startsWith("HTTP/1.1 100 ")) {
						awaitRelease(requestLine.get());
					}
					out.write(buffer, 0, read);
				}
			}
			catch (IOException ex) {
				// one side closed
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
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

	private void awaitRelease(String requestLine) throws InterruptedException {
		synchronized (this.answers) {
			Predicate<String> held = this.held;
			if (held == null || !held.test(requestLine)) {
				return;
			}
			this.firstHeld.compareAndSet(null, requestLine);
			while (this.held != null && !this.shut) {
				this.answers.wait(100);
			}
		}
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
