import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Load generator for small client requests: many computers, each with its own client certificate, each asking for a
 * capture state store and releasing it again with {@code success: false} (which leaves the association
 * {@code CAPTURING}, so the pair can repeat for ever) over mutual TLS.
 *
 * <pre>
 * java src/test/benchmark/SmallRequests.java setup BASE ADMIN-PASSWORD-FILE WORK-DIR COMPUTERS
 * java src/test/benchmark/SmallRequests.java run BASE WORK-DIR COMPUTERS SECONDS WARMUP RATE CONNECTIONS SERVER-PID
 * </pre>
 *
 * {@code setup} creates an association {@code SMALL-nnn} to {@code SMALL-nnn-D} and an enrollment code per computer
 * with the admin API and enrolls each computer with the CSR in {@code WORK-DIR/c<i>/csr.pem} (its key, made by
 * openssl, stays in {@code key.pem}, the association's id in {@code association-id}); where {@code WORK-DIR/c<i>/destination/csr.pem} exists, the destination
 * {@code SMALL-nnn-D} is enrolled the same way in that folder.
 * {@code run} drives the computers for WARMUP + SECONDS seconds and measures the pairs that complete in the last
 * SECONDS: RATE pairs per second offered in all (open loop: each computer keeps its own schedule, and a pair's
 * latency counts from when it was due, so a server that falls behind is charged for the wait; pairs still due at
 * the end are counted as missed), or as fast as each computer can go with RATE 0.
 * CONNECTIONS is {@code keepalive} (one connection per computer, kept open), {@code new} (a new TLS connection for
 * each request, TLS session resumption allowed) or {@code full} (a new connection with a full handshake each time).
 * It prints one line of {@code key=value} results. JDK only, no dependencies: it runs from its source file.
 */
public final class SmallRequests {

	static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

	static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern CODE = Pattern.compile("\"code\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern CERTIFICATE = Pattern.compile("\"certificate\"\\s*:\\s*\"([^\"]+)\"");

	private static final Pattern CA_CERTIFICATE = Pattern.compile("\"caCertificate\"\\s*:\\s*\"([^\"]+)\"");

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "setup" -> setup(URI.create(args[1]), Files.readString(Path.of(args[2])).strip(), Path.of(args[3]),
					Integer.parseInt(args[4]));
			case "run" -> run(URI.create(args[1]), Path.of(args[2]), Integer.parseInt(args[3]),
					Integer.parseInt(args[4]), Integer.parseInt(args[5]), Double.parseDouble(args[6]), args[7],
					Long.parseLong(args[8]));
			default -> throw new IllegalArgumentException("setup or run");
		}
	}

	static String name(int i) {
		return String.format(Locale.ROOT, "SMALL-%03d", i);
	}

	// ------------------------------------------------------------------------------------------------ setup

	static void setup(URI base, String adminPassword, Path work, int computers) throws Exception {
		SSLContext trustAll = SSLContext.getInstance("TLS");
		trustAll.init(null, new TrustManager[] { new X509TrustManager() {
			public void checkClientTrusted(X509Certificate[] chain, String authType) {
			}

			public void checkServerTrusted(X509Certificate[] chain, String authType) {
			}

			public X509Certificate[] getAcceptedIssuers() {
				return new X509Certificate[0];
			}
		} }, new SecureRandom());
		HttpClient http = HttpClient.newBuilder().sslContext(trustAll).version(HttpClient.Version.HTTP_1_1)
				.connectTimeout(Duration.ofSeconds(10)).build();
		String basic = "Basic " + Base64.getEncoder()
				.encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
		ExecutorService pool = Executors.newFixedThreadPool(4);
		List<Future<?>> done = new ArrayList<>();
		for (int i = 0; i < computers; i++) {
			int n = i;
			done.add(pool.submit(() -> {
				String name = name(n);
				Path dir = work.resolve("c" + n);
				HttpResponse<String> association = send(http, base.resolve("/api/v1/associations"), basic,
						"{\"sourceComputer\":\"" + name + "\",\"destinationComputer\":\"" + name
								+ "-D\",\"userAccounts\":{\"mode\":\"CAPTURE_ALL_RESTORE_ALL\"}}");
				expect(association, 201, "association for " + name);
				Files.writeString(dir.resolve("association-id"), find(ID, association.body()));
				enroll(http, base, basic, name, dir);
				Path destination = dir.resolve("destination");
				if (Files.exists(destination.resolve("csr.pem"))) {
					enroll(http, base, basic, name + "-D", destination);
				}
				return null;
			}));
		}
		for (Future<?> f : done) {
			f.get();
		}
		pool.shutdown();
	}

	/**
	 * Enrolls the computer with the CSR in {@code dir/csr.pem}, writing its certificate and the CA's beside it.
	 */
	static void enroll(HttpClient http, URI base, String basic, String name, Path dir) throws Exception {
		HttpResponse<String> code = send(http, base.resolve("/api/v1/computers/" + name + "/enrollment-codes"), basic,
				"{}");
		expect(code, 201, "enrollment code for " + name);
		String csr = Files.readString(dir.resolve("csr.pem"));
		HttpResponse<String> enrolled = send(http, base.resolve("/api/v1/enrollment"), null,
				"{\"code\":\"" + find(CODE, code.body()) + "\",\"csr\":\"" + csr.replace("\n", "\\n") + "\"}");
		expect(enrolled, 201, "enrollment of " + name);
		Files.writeString(dir.resolve("cert.pem"), unescape(find(CERTIFICATE, enrolled.body())));
		Files.writeString(dir.resolve("ca.pem"), unescape(find(CA_CERTIFICATE, enrolled.body())));
	}

	static HttpResponse<String> send(HttpClient http, URI uri, String authorization, String json) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
				.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	static void expect(HttpResponse<String> response, int status, String what) {
		if (response.statusCode() != status) {
			throw new IllegalStateException(what + " answered " + response.statusCode() + ": " + response.body());
		}
	}

	static String find(Pattern pattern, String text) {
		Matcher m = pattern.matcher(text);
		if (!m.find()) {
			throw new IllegalStateException("no " + pattern + " in " + text);
		}
		return m.group(1);
	}

	static String unescape(String json) {
		return json.replace("\\n", "\n").replace("\\/", "/");
	}

	// -------------------------------------------------------------------------------------------------- run

	record Result(int status, String body) {
	}

	/** One computer's HTTP/1.1 over mutual TLS, with raw sockets so that connection reuse is fully in hand. */
	static final class Computer {

		final SSLContext context;

		final InetSocketAddress address;

		final String host;

		final String connections;

		SSLSocket socket;

		InputStream in;

		OutputStream out;

		long handshakes;

		long handshakeNanos;

		Computer(SSLContext context, InetSocketAddress address, String host, String connections) {
			this.context = context;
			this.address = address;
			this.host = host;
			this.connections = connections;
		}

		Result post(String path, String authorization, String json) throws IOException {
			boolean keep = this.connections.equals("keepalive");
			if (this.socket == null) {
				long t0 = System.nanoTime();
				SSLSocket s = (SSLSocket) this.context.getSocketFactory().createSocket();
				s.setTcpNoDelay(true);
				s.connect(this.address, 10_000);
				s.setSoTimeout(60_000);
				s.startHandshake();
				this.handshakeNanos += System.nanoTime() - t0;
				this.handshakes++;
				this.socket = s;
				this.in = new BufferedInputStream(s.getInputStream(), 8192);
				this.out = s.getOutputStream();
			}
			try {
				byte[] body = json.getBytes(StandardCharsets.UTF_8);
				StringBuilder head = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
						.append(this.host).append("\r\nContent-Type: application/json\r\nAccept: application/json\r\n")
						.append("Content-Length: ").append(body.length).append("\r\n");
				if (authorization != null) {
					head.append("Authorization: ").append(authorization).append("\r\n");
				}
				if (!keep) {
					head.append("Connection: close\r\n");
				}
				head.append("\r\n");
				byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
				byte[] all = Arrays.copyOf(h, h.length + body.length);
				System.arraycopy(body, 0, all, h.length, body.length);
				this.out.write(all);
				this.out.flush();
				Result result = read();
				if (!keep || result.status < 0) {
					close();
				}
				return result;
			}
			catch (IOException ex) {
				close();
				throw ex;
			}
		}

		private Result read() throws IOException {
			String status = line();
			if (status == null) {
				throw new IOException("connection closed before an answer");
			}
			int code = Integer.parseInt(status.split(" ")[1]);
			long length = -1;
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
					default -> {
					}
				}
			}
			ByteArrayOutputStream body = new ByteArrayOutputStream();
			if (chunked) {
				for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
					body.write(this.in.readNBytes((int) size));
					line();
				}
				line();
			}
			else if (length >= 0) {
				body.write(this.in.readNBytes((int) length));
			}
			else {
				body.write(this.in.readAllBytes());
				closing = true;
			}
			if (closing && this.connections.equals("keepalive")) {
				close();
			}
			return new Result(code, body.toString(StandardCharsets.UTF_8));
		}

		private String line() throws IOException {
			return SmallRequests.line(this.in);
		}

		void close() {
			if (this.socket != null) {
				if (this.connections.equals("full")) {
					// no resumption: the next connection makes a full handshake, client certificate and all
					this.socket.getSession().invalidate();
				}
				try {
					this.socket.close();
				}
				catch (IOException ignored) {
				}
				this.socket = null;
			}
		}
	}

	/** One line of an HTTP head, without its CRLF; null at the end of the stream. */
	static String line(InputStream in) throws IOException {
		StringBuilder sb = new StringBuilder();
		for (int c = in.read(); c != -1; c = in.read()) {
			if (c == '\n') {
				int n = sb.length();
				return (n > 0 && sb.charAt(n - 1) == '\r') ? sb.substring(0, n - 1) : sb.toString();
			}
			sb.append((char) c);
		}
		return sb.length() == 0 ? null : sb.toString();
	}

	static SSLContext context(Path dir) throws Exception {
		CertificateFactory x509 = CertificateFactory.getInstance("X.509");
		Certificate cert;
		Certificate ca;
		try (InputStream in = Files.newInputStream(dir.resolve("cert.pem"))) {
			cert = x509.generateCertificate(in);
		}
		try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
			ca = x509.generateCertificate(in);
		}
		String pem = Files.readString(dir.resolve("key.pem"));
		String b64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
		PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
		KeyStore keys = KeyStore.getInstance("PKCS12");
		keys.load(null, null);
		char[] password = "x".toCharArray();
		keys.setKeyEntry("me", key, password, new Certificate[] { cert });
		KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
		kmf.init(keys, password);
		KeyStore trust = KeyStore.getInstance("PKCS12");
		trust.load(null, null);
		trust.setCertificateEntry("ca", ca);
		TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
		tmf.init(trust);
		SSLContext context = SSLContext.getInstance("TLS");
		context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
		return context;
	}

	static long cpuTicks(long pid) {
		try {
			String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
			String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Long.parseLong(f[11]) + Long.parseLong(f[12]);
		}
		catch (IOException ex) {
			return -1;
		}
	}

	/**
	 * The whole machine's CPU time from /proc/stat, in ticks: busy (user, nice, system, irq, softirq), stolen by
	 * the hypervisor, and all of it.
	 */
	static long[] machineTicks() {
		try {
			String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long busy = 0;
			long total = 0;
			for (int i = 1; i < f.length && i <= 8; i++) {
				long ticks = Long.parseLong(f[i]);
				total += ticks;
				// user nice system idle iowait irq softirq steal
				if (i != 4 && i != 5 && i != 8) {
					busy += ticks;
				}
			}
			long steal = (f.length > 8) ? Long.parseLong(f[8]) : 0;
			return new long[] { busy, steal, total };
		}
		catch (IOException | RuntimeException ex) {
			return new long[] { -1, -1, -1 };
		}
	}

	static String loadAverage() {
		try {
			return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
		}
		catch (IOException ex) {
			return "?";
		}
	}

	static void run(URI base, Path work, int computers, int seconds, int warmup, double rate, String connections,
			long serverPid) throws Exception {
		if (!List.of("keepalive", "new", "full").contains(connections)) {
			throw new IllegalArgumentException("connections: keepalive, new or full");
		}
		InetSocketAddress address = new InetSocketAddress(base.getHost(), base.getPort());
		String host = base.getHost() + ":" + base.getPort();
		Computer[] all = new Computer[computers];
		for (int i = 0; i < computers; i++) {
			all[i] = new Computer(context(work.resolve("c" + i)), address, host, connections);
		}
		long start = System.nanoTime() + 1_000_000_000L;
		long measureFrom = start + warmup * 1_000_000_000L;
		long end = measureFrom + seconds * 1_000_000_000L;
		// each computer's interval between pairs, and its first pair spread over one interval
		long interval = rate > 0 ? (long) (computers * 1e9 / rate) : 0;
		ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
		AtomicLong errorCount = new AtomicLong();
		AtomicLong warmupErrorCount = new AtomicLong();
		AtomicLong allPairs = new AtomicLong();
		AtomicLong missed = new AtomicLong();
		long[][] pairLatencies = new long[computers][];
		long[][] requestLatencies = new long[computers][];
		int[] pairCounts = new int[computers];
		int[] requestCounts = new int[computers];
		long[] cpu = new long[2];
		long[][] machine = new long[2][];
		String[] load = new String[2];
		Thread[] threads = new Thread[computers];
		for (int i = 0; i < computers; i++) {
			int n = i;
			threads[i] = new Thread(() -> {
				Computer c = all[n];
				long[] pairs = new long[1024];
				long[] requests = new long[2048];
				int np = 0;
				int nr = 0;
				long due = start + (interval > 0 ? interval * n / computers : 0);
				while (true) {
					long now = System.nanoTime();
					if (interval > 0) {
						if (due >= end) {
							break;
						}
						if (now >= end) {
							// fell behind: the pairs still due are not sent, and counted as missed
							missed.addAndGet((end - due + interval - 1) / interval);
							break;
						}
						if (due > now) {
							sleepNanos(due - now);
						}
					}
					else {
						due = now;
						if (due >= end) {
							break;
						}
					}
					try {
						long t0 = System.nanoTime();
						Result store = c.post("/api/v1/mp/request-state-store", null, "{\"operation\":\"CAPTURE\"}");
						long t1 = System.nanoTime();
						if (store.status != 200) {
							throw new IllegalStateException("request-state-store answered " + store.status + ": " + store.body);
						}
						Result release = c.post("/api/v1/mp/release-state-store", "Bearer " + find(TOKEN, store.body),
								"{\"success\":false,\"message\":\"benchmark\"}");
						long t2 = System.nanoTime();
						if (release.status != 200) {
							throw new IllegalStateException("release-state-store answered " + release.status + ": " + release.body);
						}
						allPairs.incrementAndGet();
						// a pair counts in the measured seconds it completes in: an overloaded server shows its real
						// rate, and the pairs' latencies (from when they were due) show how far behind it is
						if (t2 >= measureFrom && t2 < end) {
							if (np == pairs.length) {
								pairs = Arrays.copyOf(pairs, np * 2);
							}
							pairs[np++] = t2 - due;
							if (nr + 2 > requests.length) {
								requests = Arrays.copyOf(requests, nr * 2);
							}
							requests[nr++] = t1 - t0;
							requests[nr++] = t2 - t1;
						}
					}
					catch (Exception ex) {
						{
							(System.nanoTime() < measureFrom ? warmupErrorCount : errorCount).incrementAndGet();
							if (errors.size() < 5) {
								errors.add(name(n) + ": " + ex);
							}
						}
					}
					if (interval > 0) {
						due += interval;
					}
				}
				c.close();
				pairLatencies[n] = pairs;
				requestLatencies[n] = requests;
				pairCounts[n] = np;
				requestCounts[n] = nr;
			}, "computer-" + n);
		}
		for (Thread t : threads) {
			t.start();
		}
		Thread sampler = new Thread(() -> {
			sleepNanos(measureFrom - System.nanoTime());
			cpu[0] = cpuTicks(serverPid);
			machine[0] = machineTicks();
			load[0] = loadAverage();
			sleepNanos(end - System.nanoTime());
			cpu[1] = cpuTicks(serverPid);
			machine[1] = machineTicks();
			load[1] = loadAverage();
		});
		sampler.start();
		for (Thread t : threads) {
			t.join();
		}
		sampler.join();
		long finished = System.nanoTime();
		long[] pairs = merge(pairLatencies, pairCounts);
		long[] requests = merge(requestLatencies, requestCounts);
		long handshakes = 0;
		long handshakeNanos = 0;
		for (Computer c : all) {
			handshakes += c.handshakes;
			handshakeNanos += c.handshakeNanos;
		}
		Map<String, String> out = new HashMap<>();
		double window = seconds;
		out.put("pairs", Long.toString(pairs.length));
		out.put("pairs_per_s", String.format(Locale.ROOT, "%.0f", pairs.length / window));
		out.put("pair_p50_ms", ms(pct(pairs, 50)));
		out.put("pair_p90_ms", ms(pct(pairs, 90)));
		out.put("pair_p99_ms", ms(pct(pairs, 99)));
		out.put("pair_max_ms", ms(pairs.length == 0 ? 0 : pairs[pairs.length - 1]));
		out.put("req_p50_ms", ms(pct(requests, 50)));
		out.put("req_p90_ms", ms(pct(requests, 90)));
		out.put("req_p99_ms", ms(pct(requests, 99)));
		out.put("req_max_ms", ms(requests.length == 0 ? 0 : requests[requests.length - 1]));
		out.put("errors", Long.toString(errorCount.get()));
		out.put("warmup_errors", Long.toString(warmupErrorCount.get()));
		out.put("all_pairs", Long.toString(allPairs.get()));
		out.put("missed", Long.toString(missed.get()));
		out.put("server_cpu_ticks", Long.toString(cpu[1] - cpu[0]));
		out.put("machine_busy_ticks", Long.toString(machine[1][0] - machine[0][0]));
		long allTicks = machine[1][2] - machine[0][2];
		out.put("machine_steal_pct", String.format(Locale.ROOT, "%.1f",
				(allTicks > 0) ? 100.0 * (machine[1][1] - machine[0][1]) / allTicks : 0));
		out.put("load_start", load[0]);
		out.put("load_end", load[1]);
		out.put("handshakes", Long.toString(handshakes));
		out.put("handshake_mean_ms", handshakes == 0 ? "0" : ms(handshakeNanos / handshakes));
		out.put("overrun_ms", ms(Math.max(0, finished - end)));
		StringBuilder line = new StringBuilder();
		for (String k : List.of("pairs", "pairs_per_s", "pair_p50_ms", "pair_p90_ms", "pair_p99_ms", "pair_max_ms",
				"req_p50_ms", "req_p90_ms", "req_p99_ms", "req_max_ms", "warmup_errors", "errors", "server_cpu_ticks", "machine_busy_ticks", "machine_steal_pct", "load_start",
				"load_end", "handshakes", "handshake_mean_ms", "overrun_ms", "all_pairs", "missed")) {
			line.append(k).append('=').append(out.get(k)).append(' ');
		}
		System.out.println(line.toString().strip());
		for (String e : errors) {
			System.err.println("error: " + e);
		}
	}

	static long[] merge(long[][] parts, int[] counts) {
		int total = 0;
		for (int c : counts) {
			total += c;
		}
		long[] all = new long[total];
		int at = 0;
		for (int i = 0; i < parts.length; i++) {
			System.arraycopy(parts[i], 0, all, at, counts[i]);
			at += counts[i];
		}
		Arrays.sort(all);
		return all;
	}

	static long pct(long[] sorted, int p) {
		if (sorted.length == 0) {
			return 0;
		}
		int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
		return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
	}

	static String ms(long nanos) {
		return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
	}

	static void sleepNanos(long nanos) {
		if (nanos <= 0) {
			return;
		}
		try {
			Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
