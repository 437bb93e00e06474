package org.statemigration.smp.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLSocket;

/**
 * Requests as raw bytes over TLS (trusting the test server's CA, presenting no client certificate), for what no
 * HTTP client would send: malformed request lines, hostile paths, lying headers, bodies streamed from a generator
 * while the answer is read.
 */
public final class RawHttps {

	private final TestServer server;

	public RawHttps(TestServer server) {
		this.server = server;
	}

	/** Sends the bytes and reads one answer, or reports that none came within the timeout. */
	public Answer exchange(byte[] request, int timeoutMillis) throws IOException {
		try (SSLSocket socket = open(timeoutMillis)) {
			OutputStream out = socket.getOutputStream();
			try {
				out.write(request);
				out.flush();
			}
			catch (IOException closedEarly) {
				// the server may refuse and close before all was sent: its answer is what counts
			}
			return Answer.read(socket.getInputStream());
		}
	}

	/**
	 * Sends a head, then streams a body from the generator on another thread while reading the answer, as a
	 * client that does not wait for {@code 100 Continue} does. The body is never held in memory.
	 * @param sent counts the body bytes the socket accepted before the server closed it
	 */
	public Answer stream(String head, InputStream body, boolean chunked, AtomicLong sent, int timeoutMillis)
			throws Exception {
		try (SSLSocket socket = open(timeoutMillis)) {
			OutputStream out = socket.getOutputStream();
			out.write(head.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Thread writer = new Thread(() -> {
				byte[] buffer = new byte[64 * 1024];
				try (body) {
					int read;
					while ((read = body.read(buffer)) != -1) {
						if (chunked) {
							out.write((Integer.toHexString(read) + "\r\n").getBytes(StandardCharsets.US_ASCII));
						}
						out.write(buffer, 0, read);
						if (chunked) {
							out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
						}
						sent.addAndGet(read);
					}
					if (chunked) {
						out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
					}
					out.flush();
				}
				catch (IOException closed) {
					// the server stopped reading and closed the connection: expected for a refused body
				}
			}, "raw-body-writer");
			writer.setDaemon(true);
			writer.start();
			Answer answer = Answer.read(socket.getInputStream());
			socket.close();
			writer.join(timeoutMillis);
			return answer;
		}
	}

	/**
	 * A JSON document that is valid as far as it goes and goes on for {@code size} bytes (an ever longer string
	 * value), generated as it is read: a parser must keep reading it, only a limit stops it.
	 */
	public static InputStream endlessJson(long size) {
		byte[] prefix = "{\"code\":\"".getBytes(StandardCharsets.US_ASCII);
		return new InputStream() {

			private long position;

			@Override
			public int read() {
				if (this.position >= size) {
					return -1;
				}
				long at = this.position++;
				return (at < prefix.length) ? prefix[(int) at] : 'a';
			}

			@Override
			public int read(byte[] buffer, int offset, int length) {
				if (this.position >= size) {
					return -1;
				}
				int n = (int) Math.min(length, size - this.position);
				for (int i = 0; i < n; i++) {
					buffer[offset + i] = (byte) read();
				}
				return n;
			}

		};
	}

	private SSLSocket open(int timeoutMillis) throws IOException {
		SSLSocket socket = (SSLSocket) this.server.trustingContext()
			.getSocketFactory()
			.createSocket("127.0.0.1", this.server.port());
		socket.setSoTimeout(timeoutMillis);
		socket.startHandshake();
		return socket;
	}

	/**
	 * One answer: the final status (interim {@code 1xx} answers are listed apart), headers with lower-case names,
	 * and the body; status -1 if the connection closed or went quiet before a status line.
	 */
	public record Answer(int status, Map<String, String> headers, String body, java.util.List<Integer> interim) {

		public String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		public boolean answered() {
			return this.status > 0;
		}

		public boolean isProblem() {
			String type = header("content-type");
			return type != null && type.startsWith("application/problem+json")
					&& this.body.contains("\"type\":\"urn:smp:problem:");
		}

		static Answer read(InputStream raw) throws IOException {
			BufferedInputStream in = new BufferedInputStream(raw);
			java.util.List<Integer> interim = new java.util.ArrayList<>();
			try {
				while (true) {
					String statusLine = line(in);
					if (statusLine == null || !statusLine.startsWith("HTTP/")) {
						return new Answer(-1, Map.of(), String.valueOf(statusLine), interim);
					}
					int status = Integer.parseInt(statusLine.split(" ")[1]);
					Map<String, String> headers = new LinkedHashMap<>();
					String header;
					while ((header = line(in)) != null && !header.isEmpty()) {
						int colon = header.indexOf(':');
						headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
								header.substring(colon + 1).strip());
					}
					if (status < 200) {
						interim.add(status);
						continue;
					}
					return new Answer(status, headers, body(in, headers), interim);
				}
			}
			catch (SocketTimeoutException | javax.net.ssl.SSLException | java.net.SocketException ex) {
				return new Answer(-1, Map.of(), ex.toString(), interim);
			}
		}

		private static String body(InputStream in, Map<String, String> headers) throws IOException {
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			String length = headers.get("content-length");
			if (length != null) {
				body.write(in.readNBytes(Integer.parseInt(length)));
			}
			else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
				String size;
				while ((size = line(in)) != null && !size.isEmpty()) {
					int n = Integer.parseInt(size.strip(), 16);
					if (n == 0) {
						break;
					}
					body.write(in.readNBytes(n));
					line(in);
				}
			}
			return body.toString(StandardCharsets.UTF_8);
		}

		private static String line(InputStream in) throws IOException {
			StringBuilder line = new StringBuilder();
			int c;
			while ((c = in.read()) != -1 && c != '\n') {
				if (c != '\r') {
					line.append((char) c);
				}
				if (line.length() > 65_536) {
					throw new IOException("Line too long");
				}
			}
			return (c == -1 && line.length() == 0) ? null : line.toString();
		}

	}

}
