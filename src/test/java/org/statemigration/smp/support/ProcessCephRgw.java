package org.statemigration.smp.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Ceph's RADOS gateway (RGW 16.2, Debian's packages) as the S3 server of a test: a one-node cluster (monitor, one
 * OSD keeping its data in memory, the gateway) that {@code src/test/ceph/start-rgw.sh} starts on 127.0.0.1 in
 * {@code target/ceph-rgw-<n>}, on free ports, with a user of random test credentials. It is stricter than s3proxy
 * (no aws-chunked trailing checksums, Complete refused while an upload holds a part it does not name), so code that
 * passes here does not rely on a lenient server. About 15 s to start and 0.9 GB of memory: start one per test class.
 * <p>
 * Without the Ceph programs a test asking for it is skipped with a warning, except on CI ({@code CI=true}) when the
 * run asks for Ceph ({@code -Dsmp.test.s3=ceph}, as the {@code ceph} profile does), where it fails.
 */
public final class ProcessCephRgw implements S3Endpoint, AutoCloseable {

	private static final Path SCRIPTS = Path.of("src/test/ceph");

	private static final List<String> PROGRAMS = List.of("monmaptool", "ceph-mon", "ceph-osd", "ceph", "radosgw",
			"radosgw-admin");

	/** The OSD binds four ports; the script asks for a range of at least eight. */
	private static final int OSD_PORTS = 8;

	/** Each fixture of a test JVM has its own directory; the same name in the next run cleans what a killed run left. */
	private static final AtomicInteger INSTANCES = new AtomicInteger();

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Path dir;

	private final URI endpoint;

	private final String accessKeyId;

	private final String secretAccessKey;

	private final S3Client client;

	private final AtomicInteger buckets = new AtomicInteger();

	private final Thread shutdownHook = new Thread(this::stop, "ceph-rgw-stop");

	private boolean closed;

	private ProcessCephRgw(Path dir, int port, String accessKeyId, String secretAccessKey) {
		this.dir = dir;
		this.endpoint = URI.create("http://127.0.0.1:" + port);
		this.accessKeyId = accessKeyId;
		this.secretAccessKey = secretAccessKey;
		this.client = client(this.endpoint, region(), accessKeyId, secretAccessKey);
	}

	/**
	 * Starts a fresh cluster and waits until its gateway answers S3; stopped by {@link #close()} or, failing that,
	 * when the JVM exits.
	 */
	public static ProcessCephRgw start() throws IOException, InterruptedException {
		requireCeph();
		Path dir = Path.of("target", "ceph-rgw-" + INSTANCES.incrementAndGet()).toAbsolutePath();
		Files.createDirectories(dir);
		int monPort = freePort();
		int rgwPort = freePort();
		int osdPorts = freePortRange(OSD_PORTS);
		String accessKeyId = "SMPTEST" + HexFormat.of().withUpperCase().formatHex(randomBytes(7));
		String secretAccessKey = HexFormat.of().formatHex(randomBytes(20));
		List<String> command = List.of("bash", SCRIPTS.resolve("start-rgw.sh").toString(), "--dir", dir.toString(),
				"--mon-port", String.valueOf(monPort), "--rgw-port", String.valueOf(rgwPort), "--osd-ports",
				osdPorts + "-" + (osdPorts + OSD_PORTS - 1), "--access-key", accessKeyId, "--secret-key",
				secretAccessKey);
		Path log = dir.resolve("start.log");
		Process script = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
		ProcessCephRgw rgw = new ProcessCephRgw(dir, rgwPort, accessKeyId, secretAccessKey);
		Runtime.getRuntime().addShutdownHook(rgw.shutdownHook);
		boolean ended = script.waitFor(180, TimeUnit.SECONDS);
		if (!ended || script.exitValue() != 0) {
			script.destroyForcibly();
			rgw.close();
			throw new IllegalStateException("Ceph RGW did not start" + (ended ? "" : " within 180 s") + ":\n"
					+ Files.readString(log));
		}
		// the script's last line: where the gateway answers and how long it took (no credentials)
		List<String> lines = Files.readAllLines(log);
		System.out.println(lines.isEmpty() ? "Ceph RGW answers S3 on " + rgw.endpoint : lines.get(lines.size() - 1));
		return rgw;
	}

	@Override
	public URI endpoint() {
		return this.endpoint;
	}

	@Override
	public String region() {
		return Region.US_EAST_1.id();
	}

	@Override
	public String accessKeyId() {
		return this.accessKeyId;
	}

	@Override
	public String secretAccessKey() {
		return this.secretAccessKey;
	}

	@Override
	public String newBucket(String purpose) {
		String prefix = purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
		prefix = prefix.isEmpty() ? "test" : prefix.substring(0, Math.min(prefix.length(), 50));
		String name = prefix + "-" + this.buckets.incrementAndGet();
		this.client.createBucket((request) -> request.bucket(name));
		return name;
	}

	@Override
	public S3Client client() {
		return this.client;
	}

	/** Where the cluster keeps its configuration, logs, sockets and pid files ({@code log/} helps a failed test). */
	public Path directory() {
		return this.dir;
	}

	/** Stops the cluster: its data, held in memory, goes with it. */
	@Override
	public void close() {
		stop();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// the JVM is already shutting down, and the hook has run or runs now
		}
	}

	private synchronized void stop() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.client.close();
		try {
			Process stop = new ProcessBuilder("bash", SCRIPTS.resolve("stop-rgw.sh").toString(), this.dir.toString())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(this.dir.resolve("stop.log").toFile()))
				.start();
			if (!stop.waitFor(60, TimeUnit.SECONDS)) {
				stop.destroyForcibly();
				System.err.println("WARNING: the Ceph daemons in " + this.dir + " did not stop within 60 s");
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * The client settings that Ceph 16 and s3proxy both accept: path-style addressing (no bucket host names on
	 * 127.0.0.1), and checksums only where an operation requires one, because Ceph 16 refuses the SDK's default
	 * aws-chunked uploads with trailing checksums (400 XAmzContentSHA256Mismatch).
	 */
	static S3Client client(URI endpoint, String region, String accessKeyId, String secretAccessKey) {
		return S3Client.builder()
			.endpointOverride(endpoint)
			.region(Region.of(region))
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey)))
			.forcePathStyle(true)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.build();
	}

	private static void requireCeph() {
		List<String> missing = new ArrayList<>();
		for (String program : PROGRAMS) {
			if (!onPath(program)) {
				missing.add(program);
			}
		}
		if (missing.isEmpty()) {
			return;
		}
		String message = "Ceph is not installed (missing " + String.join(", ", missing)
				+ "; apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd)";
		if ("true".equalsIgnoreCase(System.getenv("CI")) && "ceph".equals(System.getProperty("smp.test.s3"))) {
			throw new IllegalStateException(message + ", but this CI run asks for the tests on Ceph RGW");
		}
		System.err.println("WARNING: " + message + ": the tests on Ceph RGW are SKIPPED");
		Assumptions.abort(message);
	}

	private static boolean onPath(String program) {
		String path = System.getenv("PATH");
		for (String entry : ((path != null) ? path : "").split(File.pathSeparator)) {
			if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, program))) {
				return true;
			}
		}
		return false;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The first of {@code count} consecutive ports that are free on 127.0.0.1, below the kernel's ephemeral range
	 * (32768 and up), so that outgoing connections do not take them before the OSD binds them.
	 */
	private static int freePortRange(int count) {
		for (int attempt = 0; attempt < 100; attempt++) {
			int first = 20000 + RANDOM.nextInt(12000);
			if (allFree(first, count)) {
				return first;
			}
		}
		throw new IllegalStateException("No " + count + " consecutive free ports between 20000 and 32000");
	}

	private static boolean allFree(int first, int count) {
		for (int port = first; port < first + count; port++) {
			try (ServerSocket socket = new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
				socket.setReuseAddress(true);
			}
			catch (IOException ex) {
				return false;
			}
		}
		return true;
	}

	private static byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		RANDOM.nextBytes(bytes);
		return bytes;
	}

}
