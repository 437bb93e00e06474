package org.statemigration.smp.resilience;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A client that sends a request head and then its body a few bytes at a time, on a raw TLS connection from a
 * local address of its choice (any of 127.0.0.0/8), until the server answers, the connection breaks, or it is
 * told to stop. What it saw is its {@link Outcome}.
 */
final class SlowClient implements Callable<SlowClient.Outcome> {

	private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);

	private final SSLContext tls;

	private final InetAddress localAddress;

	private final int port;

	private final String head;

	private final int bytesPerStep;

	private final Duration interval;

	private final BooleanSupplier stop;

	/**
	 * @param head the request line and headers, without the empty line that ends them
	 * @param bytesPerStep body bytes sent at each step
	 * @param interval time between steps
	 * @param stop when true, the client closes its connection and reports {@link Outcome#open}
	 */
	SlowClient(SSLContext tls, InetAddress localAddress, int port, String head, int bytesPerStep, Duration interval,
			BooleanSupplier stop) {
		this.tls = tls;
		this.localAddress = localAddress;
		this.port = port;
		this.head = head;
		this.bytesPerStep = bytesPerStep;
		this.interval = interval;
		this.stop = stop;
	}

	@Override
	public Outcome call() {
		try (SSLSocket socket = (SSLSocket) this.tls.getSocketFactory()
			.createSocket(InetAddress.getLoopbackAddress(), this.port, this.localAddress, 0)) {
			// the handshake may wait for the server to accept: hundreds of connections come at once
			socket.setSoTimeout((int) HANDSHAKE_TIMEOUT.toMillis());
			socket.startHandshake();
			socket.setSoTimeout((int) this.interval.toMillis());
			OutputStream out = socket.getOutputStream();
			InputStream in = new BufferedInputStream(socket.getInputStream());
			out.write((this.head + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] step = new byte[this.bytesPerStep];
			while (!this.stop.getAsBoolean()) {
				try {
					return Outcome.answered(readAnswer(in));
				}
				catch (SocketTimeoutException quiet) {
					// no answer yet: send the next few bytes
				}
				try {
					out.write(step);
					out.flush();
				}
				catch (IOException closed) {
					// the server may have answered and closed: read what it said
					socket.setSoTimeout(2000);
					return Outcome.answered(readAnswer(in));
				}
			}
			return Outcome.OPEN;
		}
		catch (IOException ex) {
			return Outcome.broken(ex);
		}
	}

	/** Reads a whole answer; the server closes the connection after the answers these clients provoke. */
	private static String readAnswer(InputStream in) throws IOException {
		int first = in.read();
		if (first == -1) {
			throw new IOException("Closed without an answer");
		}
		StringBuilder answer = new StringBuilder().append((char) first);
		byte[] buffer = new byte[4096];
		int n;
		try {
			while ((n = in.read(buffer)) != -1) {
				answer.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
				if (complete(answer)) {
					break;
				}
			}
		}
		catch (SocketTimeoutException | javax.net.ssl.SSLException partial) {
			// what came is the answer
		}
		return answer.toString();
	}

	/** Whether the answer has its head and as much body as its Content-Length says, or ends a chunked body. */
	private static boolean complete(StringBuilder answer) {
		int end = answer.indexOf("\r\n\r\n");
		if (end < 0) {
			return false;
		}
		String head = answer.substring(0, end).toLowerCase(Locale.ROOT);
		int length = head.indexOf("content-length:");
		if (length >= 0) {
			int lineEnd = head.indexOf('\r', length);
			long declared = Long.parseLong(head.substring(length + 15, (lineEnd < 0) ? head.length() : lineEnd).strip());
			return answer.length() - end - 4 >= declared;
		}
		return answer.indexOf("\r\n0\r\n\r\n", end) >= 0;
	}

	/**
	 * What the client saw: the server's answer, the connection still open when it stopped, or a connection that
	 * broke without an answer.
	 */
	record Outcome(String answer, boolean open, String failure) {

		static final Outcome OPEN = new Outcome(null, true, null);

		static Outcome answered(String answer) {
			return new Outcome(answer, false, null);
		}

		static Outcome broken(IOException ex) {
			return new Outcome(null, false, ex.getClass().getSimpleName() + ": " + ex.getMessage());
		}

		/** The answer's status, or 0 if there was none. */
		int status() {
			if (this.answer == null || !this.answer.startsWith("HTTP/1.1 ")) {
				return 0;
			}
			return Integer.parseInt(this.answer.substring(9, 12));
		}

		/** The problem type's slug, or null. */
		String slug() {
			if (this.answer == null) {
				return null;
			}
			int at = this.answer.indexOf("urn:smp:problem:");
			if (at < 0) {
				return null;
			}
			int end = this.answer.indexOf('"', at);
			return this.answer.substring(at + 16, end);
		}

		String header(String name) {
			if (this.answer == null) {
				return null;
			}
			for (String line : this.answer.split("\r\n")) {
				if (line.isEmpty()) {
					break;
				}
				if (line.toLowerCase(Locale.ROOT).startsWith(name.toLowerCase(Locale.ROOT) + ":")) {
					return line.substring(name.length() + 1).strip();
				}
			}
			return null;
		}

		@Override
		public String toString() {
			if (this.open) {
				return "open";
			}
			return (this.answer != null) ? this.answer.lines().findFirst().orElse("") + " " + slug()
					: "broken: " + this.failure;
		}

	}

}
