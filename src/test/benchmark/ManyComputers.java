import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * Load generator for many computers at once: N computers capture a state store of the same random bytes at the same
 * moment, then N other computers restore them at the same moment, each over its own HTTPS connection; or, against
 * nginx, N {@code PUT}s of distinct paths and then N {@code GET}s of them.
 *
 * <pre>
 * java -cp CLASSES ManyComputers smp BASE WORK-DIR FIRST N SIZE-BYTES SERVER-PID ADMIN-PASSWORD-FILE
 * java -cp CLASSES ManyComputers nginx BASE NGINX-DIR FIRST N SIZE-BYTES SERVER-PIDS WWW-DIR
 * </pre>
 *
 * For smp, computer {@code i} (from FIRST to FIRST + N - 1) is {@code WORK-DIR/c<i>} (source) and
 * {@code WORK-DIR/c<i>/destination}, enrolled by {@code SmallRequests setup} (this class is compiled with it and
 * uses its helpers); their associations are deleted afterwards with the admin API, to free the disk.
 * {@code WORK-DIR/loopback} and {@code NGINX-DIR} hold a self-signed {@code cert.pem}, its {@code key.pem} and the
 * same certificate as {@code ca.pem}, for the warm-up. Each source first asks for a
 * capture store (mutual TLS, untimed); when all have their token, all {@code PUT} at once ({@code Expect:
 * 100-continue}, {@code Repr-Digest}) and release; then each destination asks for a restore store, and all
 * {@code GET} at once, hash what comes back and release. A {@code 503} with {@code Retry-After} (the server runs its
 * most transfers) is waited out and tried again, as the {@code smp} client does, and counted. For nginx each
 * {@code PUT} goes to {@code /f<i>}; after the last one the stored files and their folder are fsynced (smp answers a
 * capture only once its store is on the disk), inside the timed phase.
 *
 * Each phase prints one line of {@code key=value}: the phase's wall time from the moment all computers start to the
 * last one done, the aggregate rate, per-transfer times, refusals and errors, the server's CPU time, its peak
 * resident memory during the phase ({@code VmHWM}, reset before the phase through {@code /proc/<pid>/clear_refs}),
 * and, for a JVM, its heap in use after the phase ({@code jcmd GC.heap_info}). JDK only.
 */
public final class ManyComputers {

	private static final Pattern STORE_URL = Pattern.compile("\"storeUrl\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern SHA256 = Pattern.compile("\"sha256\"\\s*:\\s*\"([0-9a-f]+)\"");

	private static final Pattern SLUG = Pattern.compile("\"type\"\\s*:\\s*\"[^\"]*[:/]([a-z-]+)\"");

	private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total \\d+K, used (\\d+)K");

	private static final int COPY = 64 * 1024;

	public static void main(String[] args) throws Exception {
		int first = Integer.parseInt(args[3]);
		int n = Integer.parseInt(args[4]);
		long size = Long.parseLong(args[5]);
		byte[] blob = blob(size);
		String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(blob));
		URI base = URI.create(args[1]);
		switch (args[0]) {
			case "smp" -> smp(base, Path.of(args[2]), first, n, blob, sha, pids(args[6]), Path.of(args[7]));
			case "nginx" -> nginx(base, Path.of(args[2]), first, n, blob, sha, pids(args[6]), Path.of(args[7]));
			default -> throw new IllegalArgumentException("smp or nginx");
		}
	}

	/** Random bytes, the same for every computer: what is stored or sent is not compressed anywhere. */
	static byte[] blob(long size) {
		if (size > Integer.MAX_VALUE - 8) {
			throw new IllegalArgumentException("at most 2 GiB");
		}
		byte[] blob = new byte[(int) size];
		SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());
		for (int i = 0; i < blob.length; i += 8) {
			long v = random.nextLong();
			for (int b = 0; b < 8 && i + b < blob.length; b++) {
				blob[i + b] = (byte) (v >>> (8 * b));
			}
		}
		return blob;
	}

	static long[] pids(String list) {
		return Arrays.stream(list.split(",")).mapToLong(Long::parseLong).toArray();
	}

	// ------------------------------------------------------------------------------------------------ smp

	static void smp(URI base, Path work, int first, int n, byte[] blob, String sha, long[] server, Path adminPassword)
			throws Exception {
		InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
		String digest = "sha-256=:" + Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha)) + ":";
		warmUp(SmallRequests.context(work.resolve("loopback")), blob);
		Phase capture = new Phase("capture", n, blob.length, server);
		capture.run((i, phase) -> {
			Connection c = new Connection(SmallRequests.context(work.resolve("c" + (first + i))), address);
			Response store = phase.untimed(() -> c.requestStore("CAPTURE"));
			phase.expect(store, 200, "request-state-store CAPTURE");
			String token = SmallRequests.find(SmallRequests.TOKEN, store.body());
			String path = URI.create(SmallRequests.find(STORE_URL, store.body())).getRawPath();
			phase.start();
			Response put = phase.retrying(() -> c.send("PUT", path, token,
					Map.of("Content-Type", "application/octet-stream", "Repr-Digest", digest), blob, null));
			phase.expect(put, 201, "upload");
			if (!sha.equals(SmallRequests.find(SHA256, put.body()))) {
				throw new IllegalStateException("smp stored other bytes: " + put.body());
			}
			phase.expect(c.release(token), 200, "release of the capture");
			phase.done();
			c.close();
		});
		Phase restore = new Phase("restore", n, blob.length, server);
		restore.run((i, phase) -> {
			Connection c = new Connection(SmallRequests.context(work.resolve("c" + (first + i)).resolve("destination")), address);
			Response store = phase.untimed(() -> c.requestStore("RESTORE"));
			phase.expect(store, 200, "request-state-store RESTORE");
			String token = SmallRequests.find(SmallRequests.TOKEN, store.body());
			String path = URI.create(SmallRequests.find(STORE_URL, store.body())).getRawPath();
			phase.start();
			MessageDigest received = MessageDigest.getInstance("SHA-256");
			Response get = phase.retrying(() -> c.send("GET", path, token, Map.of(), null, received));
			phase.expect(get, 200, "download");
			phase.check(received, sha, get.length(), blob.length);
			phase.expect(c.release(token), 200, "release of the restore");
			phase.done();
			c.close();
		});
		deleteAssociations(base, work, first, n, Files.readString(adminPassword).strip());
	}

	/** Deletes the restored associations, and so their stores, one request per association. */
	static void deleteAssociations(URI base, Path work, int first, int n, String adminPassword) throws Exception {
		SSLContext trustAll = SSLContext.getInstance("TLS");
		trustAll.init(null, new javax.net.ssl.TrustManager[] { new javax.net.ssl.X509TrustManager() {
			public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
			}

			public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
			}

			public java.security.cert.X509Certificate[] getAcceptedIssuers() {
				return new java.security.cert.X509Certificate[0];
			}
		} }, new SecureRandom());
		java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder().sslContext(trustAll)
				.version(java.net.http.HttpClient.Version.HTTP_1_1).build();
		String basic = "Basic " + Base64.getEncoder()
				.encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
		for (int i = first; i < first + n; i++) {
			String id = Files.readString(work.resolve("c" + i).resolve("association-id")).strip();
			java.net.http.HttpResponse<String> deleted = http.send(java.net.http.HttpRequest
				.newBuilder(base.resolve("/api/v1/associations/" + id)).header("Authorization", basic).DELETE().build(),
					java.net.http.HttpResponse.BodyHandlers.ofString());
			if (deleted.statusCode() != 204) {
				System.err.println("note: deleting association " + id + " answered " + deleted.statusCode() + ": "
						+ deleted.body());
			}
		}
	}

	// ---------------------------------------------------------------------------------------------- nginx

	static void nginx(URI base, Path dir, int first, int n, byte[] blob, String sha, long[] server, Path www)
			throws Exception {
		InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
		SSLContext context = SmallRequests.context(dir);
		warmUp(context, blob);
		Phase put = new Phase("capture", n, blob.length, server);
		put.afterAll(() -> {
			// nginx answers a PUT without an fsync: the files and their folder are synced inside the timed phase
			List<String> sync = new ArrayList<>(List.of("sync"));
			for (int i = 0; i < n; i++) {
				sync.add(www.resolve("f" + (first + i)).toString());
			}
			sync.add(www.toString());
			Process p = new ProcessBuilder(sync).inheritIO().start();
			if (p.waitFor() != 0) {
				throw new IllegalStateException("sync failed");
			}
		});
		put.run((i, phase) -> {
			Connection c = new Connection(context, address);
			phase.untimed(() -> {
				c.connect();
				return null;
			});
			phase.start();
			Response answer = phase.retrying(() -> c.send("PUT", "/f" + (first + i), null,
					Map.of("Content-Type", "application/octet-stream"), blob, null));
			if (answer.status() != 201 && answer.status() != 204) {
				phase.expect(answer, 201, "PUT");
			}
			phase.done();
			c.close();
		});
		Phase get = new Phase("restore", n, blob.length, server);
		get.run((i, phase) -> {
			Connection c = new Connection(context, address);
			phase.untimed(() -> {
				c.connect();
				return null;
			});
			phase.start();
			MessageDigest received = MessageDigest.getInstance("SHA-256");
			Response answer = phase.retrying(() -> c.send("GET", "/f" + (first + i), null, Map.of(), null, received));
			phase.expect(answer, 200, "GET");
			phase.check(received, sha, answer.length(), blob.length);
			phase.done();
			c.close();
		});
		for (int i = first; i < first + n; i++) {
			Files.deleteIfExists(www.resolve("f" + i));
		}
	}

	/**
	 * Sends the blob a few times each way over a TLS connection to itself and hashes it, so that the client's TLS
	 * and SHA-256 are compiled before the first timed phase: this program starts afresh for each N, the servers
	 * do not. The context's key and (self-signed) certificate serve as the server's, its trusted CA as the client's.
	 */
	static void warmUp(SSLContext context, byte[] blob) throws Exception {
		int rounds = (int) Math.max(1, (256L << 20) / blob.length);
		try (SSLServerSocket listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 1,
				java.net.InetAddress.getLoopbackAddress())) {
			Thread server = new Thread(() -> {
				try (Socket s = listener.accept()) {
					byte[] buffer = new byte[COPY];
					InputStream in = s.getInputStream();
					for (long left = (long) rounds * blob.length; left > 0;) {
						int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
						if (r < 0) {
							throw new IOException("warm-up connection closed");
						}
						left -= r;
					}
					OutputStream out = s.getOutputStream();
					for (int i = 0; i < rounds; i++) {
						for (int at = 0; at < blob.length; at += COPY) {
							out.write(blob, at, Math.min(COPY, blob.length - at));
						}
					}
					out.flush();
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			server.start();
			Connection c = new Connection(context, (InetSocketAddress) listener.getLocalSocketAddress());
			c.connect();
			for (int i = 0; i < rounds; i++) {
				for (int at = 0; at < blob.length; at += COPY) {
					c.out.write(blob, at, Math.min(COPY, blob.length - at));
				}
			}
			c.out.flush();
			Body body = new Body(MessageDigest.getInstance("SHA-256"));
			body.copy(c.in, (long) rounds * blob.length);
			c.close();
			server.join();
		}
	}

	// ---------------------------------------------------------------------------------------------- phase

	interface Work {

		void run(int computer, Phase.Computer phase) throws Exception;

	}

	interface Step<T> {

		T run() throws Exception;

	}

	interface Action {

		void run() throws Exception;

	}

	/**
	 * N computers doing one thing at once: each prepares (untimed), waits for all the others, then transfers; the
	 * phase lasts from that common start to the last computer done.
	 */
	static final class Phase {

		final String name;

		final int n;

		final long size;

		final long[] server;

		final CountDownLatch ready;

		final long[] transfer;

		final AtomicLong refused = new AtomicLong();

		final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();

		final AtomicLong errors = new AtomicLong();

		final ConcurrentLinkedQueue<String> messages = new ConcurrentLinkedQueue<>();

		Action afterAll = () -> {
		};

		volatile long start;

		Phase(String name, int n, long size, long[] server) {
			this.name = name;
			this.n = n;
			this.size = size;
			this.server = server;
			this.ready = new CountDownLatch(n);
			this.transfer = new long[n];
		}

		void afterAll(Action action) {
			this.afterAll = action;
		}

		void run(Work work) throws Exception {
			clearPeak(this.server);
			Thread[] threads = new Thread[this.n];
			for (int i = 0; i < this.n; i++) {
				int computer = i;
				threads[i] = new Thread(() -> {
					Computer c = new Computer(computer);
					try {
						work.run(computer, c);
					}
					catch (Exception | Error ex) {
						this.errors.incrementAndGet();
						if (this.messages.size() < 5) {
							this.messages.add("computer " + computer + ": " + ex);
						}
						c.arrive();
					}
				}, this.name + "-" + i);
				threads[i].start();
			}
			this.ready.await();
			long cpu0 = cpuTicks(this.server);
			String load0 = SmallRequests.loadAverage();
			this.start = System.nanoTime();
			synchronized (this) {
				notifyAll();
			}
			for (Thread t : threads) {
				t.join();
			}
			this.afterAll.run();
			long end = System.nanoTime();
			long cpu1 = cpuTicks(this.server);
			long[] sorted = this.transfer.clone();
			Arrays.sort(sorted);
			double seconds = (end - this.start) / 1e9;
			Map<String, String> out = new LinkedHashMap<>();
			out.put("phase", this.name);
			out.put("n", Integer.toString(this.n));
			out.put("seconds", fmt("%.2f", seconds));
			out.put("mb_per_s", fmt("%.0f", this.n * (double) this.size / seconds / 1e6));
			out.put("transfer_p50_s", fmt("%.2f", sorted[(this.n - 1) / 2] / 1e9));
			out.put("transfer_max_s", fmt("%.2f", sorted[this.n - 1] / 1e9));
			out.put("refused", Long.toString(this.refused.get()));
			out.put("refusals", this.refusals.isEmpty() ? "-" : String.join(",",
					this.refusals.entrySet().stream().map((e) -> e.getKey() + ":" + e.getValue()).sorted().toList()));
			out.put("errors", Long.toString(this.errors.get()));
			out.put("server_cpu_s", fmt("%.1f", (cpu1 - cpu0) / 100.0));
			out.put("peak_rss_mib", Long.toString(peakRssKib(this.server) / 1024));
			out.put("heap_after_mib", heapAfter(this.server));
			out.put("load_start", load0);
			out.put("load_end", SmallRequests.loadAverage());
			StringBuilder line = new StringBuilder();
			out.forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
			System.out.println(line.toString().strip());
			for (String m : this.messages) {
				System.err.println("error: " + m);
			}
		}

		/** One computer's part of the phase. */
		final class Computer {

			final int index;

			boolean arrived;

			long begin;

			long end;

			Computer(int index) {
				this.index = index;
			}

			<T> T untimed(Step<T> step) throws Exception {
				return Phase.this.retrying(step, null);
			}

			/** Waits for every other computer to be ready, then for the common start. */
			void start() throws InterruptedException {
				arrive();
				synchronized (Phase.this) {
					while (Phase.this.start == 0) {
						Phase.this.wait();
					}
				}
				this.begin = System.nanoTime();
			}

			void arrive() {
				if (!this.arrived) {
					this.arrived = true;
					Phase.this.ready.countDown();
				}
			}

			Response retrying(Step<Response> step) throws Exception {
				return Phase.this.retrying(step, this);
			}

			void expect(Response response, int status, String what) {
				if (response.status() != status) {
					throw new IllegalStateException(what + " answered " + response.status() + ": " + response.body());
				}
			}

			void check(MessageDigest received, String sha, long length, long size) {
				if (length != size || !sha.equals(HexFormat.of().formatHex(received.digest()))) {
					throw new IllegalStateException("received " + length + " bytes that differ from what was sent");
				}
			}

			void done() {
				this.end = System.nanoTime();
				Phase.this.transfer[this.index] = this.end - this.begin;
			}

		}

		/** Runs the step, waiting out and counting each 503 with Retry-After. */
		<T> T retrying(Step<T> step, Computer timed) throws Exception {
			while (true) {
				T result = step.run();
				if (result instanceof Response r && r.status() == 503 && r.retryAfter() > 0) {
					this.refused.incrementAndGet();
					Matcher slug = SLUG.matcher(r.body());
					this.refusals.computeIfAbsent(((timed != null) ? "" : "request:") + (slug.find() ? slug.group(1)
							: "503"), (k) -> new AtomicLong()).incrementAndGet();
					Thread.sleep(r.retryAfter() * 1000);
					continue;
				}
				return result;
			}
		}

	}

	static String fmt(String format, double value) {
		return String.format(Locale.ROOT, format, value);
	}

	// ----------------------------------------------------------------------------------------- connection

	record Response(int status, String body, long retryAfter, long length) {
	}

	/** HTTP/1.1 over one TLS connection, reopened when the server closes it. */
	static final class Connection {

		final SSLContext context;

		final InetSocketAddress address;

		SSLSocket socket;

		InputStream in;

		OutputStream out;

		Connection(SSLContext context, InetSocketAddress address) {
			this.context = context;
			this.address = address;
		}

		void connect() throws IOException {
			if (this.socket == null) {
				SSLSocket s = (SSLSocket) this.context.getSocketFactory().createSocket();
				s.setTcpNoDelay(true);
				s.connect(this.address, 30_000);
				s.setSoTimeout(600_000);
				s.startHandshake();
				this.socket = s;
				this.in = new BufferedInputStream(s.getInputStream(), COPY);
				this.out = s.getOutputStream();
			}
		}

		Response requestStore(String operation) throws IOException {
			return send("POST", "/api/v1/mp/request-state-store", null, Map.of("Content-Type", "application/json"),
					("{\"operation\":\"" + operation + "\"}").getBytes(StandardCharsets.UTF_8), null);
		}

		Response release(String token) throws IOException {
			return send("POST", "/api/v1/mp/release-state-store", token, Map.of("Content-Type", "application/json"),
					"{\"success\":true}".getBytes(StandardCharsets.UTF_8), null);
		}

		/**
		 * One request. A body of more than 64 KiB is sent after {@code 100 Continue} only, so that a refusal
		 * costs no upload. A body of the answer goes into {@code sink} when given (its length is returned),
		 * into the answer's text otherwise.
		 */
		Response send(String method, String path, String token, Map<String, String> headers, byte[] body,
				MessageDigest sink) throws IOException {
			connect();
			try {
				boolean large = body != null && body.length > COPY;
				StringBuilder head = new StringBuilder(256).append(method).append(' ').append(path)
						.append(" HTTP/1.1\r\nHost: ").append(this.address.getHostString()).append(':')
						.append(this.address.getPort()).append("\r\n");
				headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
				if (token != null) {
					head.append("Authorization: Bearer ").append(token).append("\r\n");
				}
				if (body != null) {
					head.append("Content-Length: ").append(body.length).append("\r\n");
				}
				if (large) {
					head.append("Expect: 100-continue\r\n");
				}
				head.append("\r\n");
				this.out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
				if (body != null && !large) {
					this.out.write(body);
				}
				this.out.flush();
				if (large) {
					Response interim = read(null);
					if (interim.status() != 100) {
						close();
						return interim;
					}
					for (int at = 0; at < body.length; at += COPY) {
						this.out.write(body, at, Math.min(COPY, body.length - at));
					}
					this.out.flush();
				}
				return read(sink);
			}
			catch (IOException ex) {
				close();
				throw ex;
			}
		}

		private Response read(MessageDigest sink) throws IOException {
			String status = line();
			if (status == null) {
				throw new IOException("connection closed before an answer");
			}
			int code = Integer.parseInt(status.split(" ")[1]);
			long length = -1;
			long retryAfter = 0;
			boolean chunked = false;
			boolean closing = false;
			for (String header = line(); header != null && !header.isEmpty(); header = line()) {
				int colon = header.indexOf(':');
				String key = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
				String value = header.substring(colon + 1).trim();
				switch (key) {
					case "content-length" -> length = Long.parseLong(value);
					case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
					case "connection" -> closing = value.equalsIgnoreCase("close");
					case "retry-after" -> retryAfter = Long.parseLong(value);
					default -> {
					}
				}
			}
			if (code == 100) {
				return new Response(code, "", 0, 0);
			}
			Body body = new Body((code / 100 == 2) ? sink : null);
			try {
				copy(body, chunked, length);
			}
			catch (IOException ex) {
				throw new IOException(status + " with Content-Length " + length + ": " + ex.getMessage(), ex);
			}
			if (closing || length < 0) {
				close();
			}
			return new Response(code, body.text(), retryAfter, body.length);
		}

		private void copy(Body body, boolean chunked, long length) throws IOException {
			if (chunked) {
				for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
					body.copy(this.in, size);
					line();
				}
				line();
			}
			else if (length >= 0) {
				body.copy(this.in, length);
			}
			else {
				body.copy(this.in, Long.MAX_VALUE);
			}
		}

		private String line() throws IOException {
			return SmallRequests.line(this.in);
		}

		void close() {
			if (this.socket != null) {
				try {
					this.socket.close();
				}
				catch (IOException ignored) {
				}
				this.socket = null;
			}
		}

	}

	/** An answer's body: hashed as it comes when large, kept as text when small. */
	static final class Body {

		final MessageDigest sink;

		final java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();

		final byte[] buffer = new byte[COPY];

		long length;

		Body(MessageDigest sink) {
			this.sink = sink;
		}

		void copy(InputStream in, long count) throws IOException {
			long left = count;
			while (left > 0) {
				int r = in.read(this.buffer, 0, (int) Math.min(this.buffer.length, left));
				if (r < 0) {
					if (count == Long.MAX_VALUE) {
						return;
					}
					throw new IOException("body ended after " + this.length + " bytes");
				}
				if (this.sink != null) {
					this.sink.update(this.buffer, 0, r);
				}
				else if (this.text.size() < 1 << 20) {
					this.text.write(this.buffer, 0, r);
				}
				this.length += r;
				left -= r;
			}
		}

		String text() {
			return this.text.toString(StandardCharsets.UTF_8);
		}

	}

	// ------------------------------------------------------------------------------------------- the server

	static long cpuTicks(long[] pids) {
		long total = 0;
		for (long pid : pids) {
			total += Math.max(0, SmallRequests.cpuTicks(pid));
		}
		return total;
	}

	/** Resets the peak resident memory (VmHWM) of the processes, where the kernel lets us. */
	static void clearPeak(long[] pids) {
		for (long pid : pids) {
			try {
				Files.writeString(Path.of("/proc/" + pid + "/clear_refs"), "5");
			}
			catch (IOException ignored) {
			}
		}
	}

	static long peakRssKib(long[] pids) {
		long total = 0;
		for (long pid : pids) {
			try {
				for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
					if (line.startsWith("VmHWM:")) {
						total += Long.parseLong(line.replaceAll("[^0-9]", ""));
					}
				}
			}
			catch (IOException ignored) {
			}
		}
		return total;
	}

	/** The JVM's heap in use after the phase, from {@code jcmd GC.heap_info}; "-" for another server. */
	static String heapAfter(long[] pids) {
		if (pids.length != 1) {
			return "-";
		}
		try {
			Process p = new ProcessBuilder("jcmd", Long.toString(pids[0]), "GC.heap_info").redirectErrorStream(true)
					.start();
			String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			p.waitFor();
			Matcher used = HEAP_USED.matcher(out);
			return used.find() ? Long.toString(Long.parseLong(used.group(1)) / 1024) : "-";
		}
		catch (IOException ex) {
			return "-";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "-";
		}
	}

}
