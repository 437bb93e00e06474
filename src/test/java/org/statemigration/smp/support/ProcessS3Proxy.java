package org.statemigration.smp.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * s3proxy ({@code target/s3proxy.jar}, copied there by the build) in a process of its own: on a free port of
 * 127.0.0.1, storing on the file system under {@code target/s3proxy-<port>/}, with one account ({@code smp-test})
 * checked by AWS signatures v2 or v4, and unknown {@code x-amz-} headers ignored (the SDK's Complete sends one). Its
 * log is {@code target/s3proxy-<port>.log}. A shutdown hook stops it when the JVM exits.
 */
public final class ProcessS3Proxy implements S3Endpoint, AutoCloseable {

	private static final Path JAR = Path.of("target/s3proxy.jar");

	private static final String IDENTITY = "smp-test";

	private static final String CREDENTIAL = "smp-test-secret";

	private static final String REGION = "us-east-1";

	private final Process process;

	private final URI endpoint;

	private final S3Client client;

	private final AtomicInteger buckets = new AtomicInteger();

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private ProcessS3Proxy(Process process, URI endpoint) {
		this.process = process;
		this.endpoint = endpoint;
		this.client = S3Client.builder()
			.httpClient(Apache5HttpClient.builder().maxConnections(16).build())
			.endpointOverride(endpoint)
			.region(Region.of(REGION))
			.forcePathStyle(true)
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
			.build();
	}

	/** Starts s3proxy and waits until it answers. */
	public static ProcessS3Proxy start() throws IOException {
		if (Files.notExists(JAR)) {
			throw new IllegalStateException(JAR + " is missing: the build copies it before the integration tests");
		}
		int port = freePort();
		Path target = JAR.toAbsolutePath().getParent();
		Path data = Files.createDirectories(target.resolve("s3proxy-" + port));
		Path properties = target.resolve("s3proxy-" + port + ".conf");
		Files.write(properties, List.of("s3proxy.endpoint=http://127.0.0.1:" + port,
				"s3proxy.authorization=aws-v2-or-v4", "s3proxy.identity=" + IDENTITY,
				"s3proxy.credential=" + CREDENTIAL, "s3proxy.ignore-unknown-headers=true",
				"jclouds.provider=filesystem-nio2", "jclouds.filesystem.basedir=" + data));
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		Process process = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(), "--properties",
				properties.toString()).redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(target.resolve("s3proxy-" + port + ".log").toFile()))
			.start();
		ProcessS3Proxy proxy = new ProcessS3Proxy(process, URI.create("http://127.0.0.1:" + port));
		Runtime.getRuntime().addShutdownHook(new Thread(proxy::close, "s3proxy-stop"));
		try {
			proxy.awaitReady(port, Duration.ofSeconds(60));
		}
		catch (IOException | RuntimeException ex) {
			proxy.close();
			throw ex;
		}
		return proxy;
	}

	private void awaitReady(int port, Duration timeout) throws IOException {
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new IOException("s3proxy ended at start with status " + this.process.exitValue());
			}
			try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
				this.client.listBuckets();
				return;
			}
			catch (IOException | RuntimeException ex) {
				sleep();
			}
		}
		throw new IOException("s3proxy did not answer within " + timeout);
	}

	private static void sleep() {
		try {
			Thread.sleep(200);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	@Override
	public URI endpoint() {
		return this.endpoint;
	}

	@Override
	public String region() {
		return REGION;
	}

	@Override
	public String accessKeyId() {
		return IDENTITY;
	}

	@Override
	public String secretAccessKey() {
		return CREDENTIAL;
	}

	@Override
	public String newBucket(String purpose) {
		String name = (purpose.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-") + "-" + this.run + "-"
				+ this.buckets.incrementAndGet()).replaceAll("^-+", "");
		if (name.length() > 63) {
			name = name.substring(name.length() - 63).replaceAll("^[^a-z0-9]+", "");
		}
		String bucket = name;
		this.client.createBucket((create) -> create.bucket(bucket));
		return bucket;
	}

	@Override
	public S3Client client() {
		return this.client;
	}

	@Override
	public void close() {
		this.client.close();
		this.process.destroy();
		try {
			if (!this.process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
	}

}
