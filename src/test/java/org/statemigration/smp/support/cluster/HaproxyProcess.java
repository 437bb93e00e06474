package org.statemigration.smp.support.cluster;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * HAProxy, the Debian package's binary, run in the foreground with the configuration operators use
 * ({@code deploy/haproxy/haproxy.cfg}): the test only sets the environment variables that file reads. Without
 * HAProxy a test asking for it is skipped with a warning, except on CI ({@code CI=true}), where it fails.
 */
public final class HaproxyProcess implements AutoCloseable {

	/** The configuration the cluster tests run, as shipped. */
	public static final Path CONFIGURATION = Path.of("deploy/haproxy/haproxy.cfg");

	/** The backend of that configuration. */
	static final String BACKEND = "smp";

	private final Process process;

	private final int port;

	private final Path socket;

	private final Path log;

	private HaproxyProcess(Process process, int port, Path socket, Path log) {
		this.process = process;
		this.port = port;
		this.socket = socket;
		this.log = log;
	}

	/**
	 * Starts HAProxy listening on {@code 127.0.0.1:port} in front of the nodes (in the order of the configuration's
	 * {@code server} lines, {@code node-1} first), and waits until it accepts connections.
	 * @param directory where its runtime socket and log go
	 */
	public static HaproxyProcess start(Path directory, int port, List<InetSocketAddress> nodes) throws IOException {
		String binary = binary();
		Files.createDirectories(directory);
		Path socket = directory.resolve("admin.sock");
		Path log = directory.resolve("haproxy.log");
		Map<String, String> environment = new HashMap<>();
		environment.put("SMP_LISTEN", "127.0.0.1:" + port);
		environment.put("SMP_HAPROXY_SOCKET", socket.toAbsolutePath().toString());
		for (int i = 0; i < nodes.size(); i++) {
			environment.put("SMP_NODE_" + (i + 1), nodes.get(i).getHostString() + ":" + nodes.get(i).getPort());
		}
		ProcessBuilder builder = new ProcessBuilder(binary, "-db", "-f", CONFIGURATION.toAbsolutePath().toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(environment);
		HaproxyProcess haproxy = new HaproxyProcess(builder.start(), port, socket, log);
		try {
			haproxy.awaitListening(Duration.ofSeconds(20));
		}
		catch (IOException | RuntimeException ex) {
			haproxy.process.destroyForcibly();
			throw ex;
		}
		return haproxy;
	}

	private static String binary() {
		for (String candidate : List.of("/usr/sbin/haproxy", "/usr/local/sbin/haproxy", "/usr/bin/haproxy")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException("HAProxy is required on CI (apt-get install haproxy) but is not installed");
		}
		System.err.println("WARNING: HAProxy is not installed (apt-get install haproxy): the cluster tests are SKIPPED");
		Assumptions.abort("HAProxy not installed");
		throw new IllegalStateException("unreachable");
	}

	public int port() {
		return this.port;
	}

	public Path log() {
		return this.log;
	}

	/** Runs a command of HAProxy's runtime API and returns its answer. */
	public String command(String command) throws IOException {
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(this.socket));
			channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
			ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
			StringBuilder answer = new StringBuilder();
			while (channel.read(buffer) != -1) {
				buffer.flip();
				answer.append(StandardCharsets.US_ASCII.decode(buffer));
				buffer.clear();
			}
			return answer.toString();
		}
	}

	/** The backend's servers as {@code show stat} reports them: name, status (UP, DOWN, ...), sessions so far. */
	public List<ServerStat> servers() throws IOException {
		List<String> lines = command("show stat").lines().filter((line) -> !line.isBlank()).toList();
		List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
		List<ServerStat> servers = new ArrayList<>();
		for (String line : lines.subList(1, lines.size())) {
			String[] fields = line.split(",", -1);
			String server = fields[header.indexOf("svname")];
			if (fields[header.indexOf("pxname")].equals(BACKEND) && !server.equals("BACKEND")
					&& !server.equals("FRONTEND")) {
				servers.add(new ServerStat(server, fields[header.indexOf("status")],
						Long.parseLong(fields[header.indexOf("stot")])));
			}
		}
		return servers;
	}

	/** Whether HAProxy's health checks see the server as it should be: {@code UP}, or {@code DOWN}. */
	public String status(String server) throws IOException {
		return servers().stream()
			.filter((stat) -> stat.name().equals(server))
			.map(ServerStat::status)
			.findFirst()
			.orElseThrow(() -> new IllegalArgumentException("No server " + server));
	}

	private void awaitListening(Duration timeout) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("HAProxy exited at start: " + Files.readString(this.log));
			}
			try (Socket probe = new Socket()) {
				probe.connect(new InetSocketAddress("127.0.0.1", this.port), 500);
				if (Files.exists(this.socket)) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			sleep(100);
		}
		throw new IllegalStateException("HAProxy did not listen within " + timeout + "; see " + this.log);
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor();
			}
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** One server of the backend. */
	public record ServerStat(String name, String status, long sessions) {
	}

}
