package org.statemigration.smp.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The packaged server ({@code target/smp.jar}) in a process of its own, as an operator runs it: with its own heap
 * limit, its own data dir and H2, so that tests can measure it, starve it of memory, or kill it.
 */
public final class ServerProcess implements AutoCloseable {

	private static final Path JAR = Path.of("target/smp.jar");

	private static final String PORT = "--server.port=";

	private final Process process;

	private final int port;

	private final Path dataDir;

	private final Path log;

	private ServerProcess(Process process, int port, Path dataDir, Path log) {
		this.process = process;
		this.port = port;
		this.dataDir = dataDir;
		this.log = log;
	}

	/**
	 * Starts the jar and waits until it answers on HTTPS. Its only storage folder is {@code <dataDir>/stores} with
	 * {@code min-free-space=0MB}, unless the arguments configure {@code smp.storage.folders[0]} otherwise or load a
	 * configuration file of their own ({@code --spring.config.additional-location=}). It listens on a free port,
	 * unless the arguments name one ({@code --server.port=}).
	 * @param heap the {@code -Xmx} value, e.g. {@code 128m}
	 */
	public static ServerProcess start(Path dataDir, String heap, String... arguments) throws IOException {
		return launch(java(), dataDir, heap, List.of(arguments), true, Map.of());
	}

	/**
	 * Starts the jar as {@link #start(Path, String, String...)} does, on another Java runtime than the servers'.
	 * @param java the java command, e.g. that of a JDK 22 or later
	 */
	public static ServerProcess startOn(String java, Path dataDir, String heap, String... arguments)
			throws IOException {
		return launch(java, dataDir, heap, List.of(arguments), true, Map.of());
	}

	/**
	 * Starts the jar against a database that other servers may share, and waits until it answers on HTTPS. Only
	 * the first server of a database creates its first administrator (and the {@code initial-admin-password}
	 * file); the others use that one.
	 * @param datasource the {@code --spring.datasource.*} arguments
	 * @param firstOfDatabase whether this server is the first to start on the database
	 */
	public static ServerProcess start(Path dataDir, String heap, List<String> datasource, boolean firstOfDatabase,
			String... arguments) throws IOException {
		return start(dataDir, heap, datasource, firstOfDatabase, Map.of(), arguments);
	}

	/**
	 * Starts the jar against a database that other servers may share, as {@link #start(Path, String, List, boolean,
	 * String...)}, with further environment variables: the values a configuration file reads from the environment,
	 * as an installation sets them.
	 */
	public static ServerProcess start(Path dataDir, String heap, List<String> datasource, boolean firstOfDatabase,
			Map<String, String> environment, String... arguments) throws IOException {
		List<String> all = new ArrayList<>(datasource);
		all.addAll(List.of(arguments));
		return launch(java(), dataDir, heap, all, firstOfDatabase, environment);
	}

	private static ServerProcess launch(String java, Path dataDir, String heap, List<String> arguments,
			boolean awaitFirstAdmin, Map<String, String> environment) throws IOException {
		if (Files.notExists(JAR)) {
			throw new IllegalStateException(JAR + " is missing: integration tests run after the package phase");
		}
		Files.createDirectories(dataDir);
		// a port given in the arguments stays the server's across restarts (a load balancer names it)
		int port = arguments.stream()
			.filter((argument) -> argument.startsWith(PORT))
			.map((argument) -> Integer.parseInt(argument.substring(PORT.length())))
			.reduce((first, last) -> last)
			.orElseGet(ServerProcess::freePort);
		List<String> command = new ArrayList<>(List.of(java,
				"-Xmx" + heap, "-jar", JAR.toAbsolutePath().toString(), "--smp.data-dir=" + dataDir.toAbsolutePath(),
				PORT + port, "--server.address=127.0.0.1"));
		// a configuration file of the arguments' may configure the storage: arguments would override its list
		boolean ownConfiguration = arguments.stream()
			.anyMatch((argument) -> argument.startsWith("--spring.config.additional-location="));
		for (String fallback : List.of("--smp.storage.folders[0].location=" + dataDir.toAbsolutePath().resolve("stores"),
				"--smp.storage.folders[0].min-free-space=0MB")) {
			String name = fallback.substring(0, fallback.indexOf('=') + 1);
			if (!ownConfiguration && arguments.stream().noneMatch((argument) -> argument.startsWith(name))) {
				command.add(fallback);
			}
		}
		arguments.stream().filter((argument) -> !argument.startsWith(PORT)).forEach(command::add);
		String extra = System.getenv("SMP_TEST_SERVER_ARGS");
		if (extra != null && !extra.isBlank()) {
			command.addAll(List.of(extra.trim().split("\\s+")));
		}
		Path log = dataDir.resolve("server.log");
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
		builder.environment().putAll(environment);
		Process process = builder.start();
		ServerProcess server = new ServerProcess(process, port, dataDir, log);
		try {
			server.awaitReady(Duration.ofSeconds(180), awaitFirstAdmin);
		}
		catch (IOException | RuntimeException ex) {
			// a server that did not come up in time is not left running behind the failed test
			process.destroyForcibly();
			throw ex;
		}
		return server;
	}

	/**
	 * The java command of the servers: the test JVM's own, unless {@code SMP_TEST_SERVER_JAVA} names another (to
	 * measure the server on another Java version; {@code SMP_TEST_SERVER_ARGS} adds arguments to every server).
	 */
	private static String java() {
		String java = System.getenv("SMP_TEST_SERVER_JAVA");
		return (java != null && !java.isBlank()) ? java
				: Path.of(System.getProperty("java.home"), "bin", "java").toString();
	}

	public TestServer client() {
		return new TestServer(this.port, this.dataDir.toString());
	}

	public boolean isAlive() {
		return this.process.isAlive();
	}

	/** Waits for the process to end by itself; its exit status, or -1 if it is still running after the timeout. */
	public int awaitExit(java.time.Duration timeout) throws InterruptedException {
		return this.process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
				? this.process.exitValue() : -1;
	}

	public long pid() {
		return this.process.pid();
	}

	public Path log() {
		return this.log;
	}

	/** Peak resident memory of the server process so far, in bytes (Linux). */
	public long peakResidentBytes() throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
			}
		}
		throw new IllegalStateException("No VmHWM for " + pid());
	}

	/** Kills the process at once, as a power cut or the OOM killer would (SIGKILL). */
	public void kill() throws InterruptedException {
		this.process.destroyForcibly();
		this.process.waitFor();
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			this.process.destroy();
			if (!this.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
				kill();
			}
		}
	}

	private void awaitReady(Duration timeout, boolean awaitFirstAdmin) throws IOException {
		HttpClient http = HttpClient.newBuilder().sslContext(trustAll()).connectTimeout(Duration.ofSeconds(2)).build();
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException("The server exited at start; see " + this.log);
			}
			try {
				HttpResponse<Void> response = http.send(
						HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + this.port + "/actuator/health")).build(),
						HttpResponse.BodyHandlers.discarding());
				// 503: started, but a health component is DOWN (which some tests set out to cause)
				boolean answered = response.statusCode() == 200 || response.statusCode() == 503;
				if (answered && (!awaitFirstAdmin || Files.exists(this.dataDir.resolve("initial-admin-password")))) {
					return;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(250);
		}
		throw new IllegalStateException("The server did not start within " + timeout + "; see " + this.log);
	}

	/** Readiness only: whether anything answers. Every real call verifies the server against its CA. */
	private static SSLContext trustAll() {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new X509TrustManager() {
				@Override
				public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
				}

				@Override
				public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
				}

				@Override
				public java.security.cert.X509Certificate[] getAcceptedIssuers() {
					return new java.security.cert.X509Certificate[0];
				}
			} }, null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A TCP port on 127.0.0.1 that nothing listens on now. */
	public static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
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

}
