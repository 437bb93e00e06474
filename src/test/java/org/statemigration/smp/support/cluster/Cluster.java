package org.statemigration.smp.support.cluster;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.TestServer;

/**
 * Two smp nodes, each the packaged jar in a process of its own with its own data directory (so its own
 * {@code node-id}), on one fresh PostgreSQL database, behind HAProxy run with {@code deploy/haproxy/haproxy.cfg}.
 * The nodes share what docs/scale-out.md says they share: the database, the master key file (one file, named by
 * {@code smp.crypto.master-key-file}), the client CA, the server certificate (the SSL bundle {@code smp-server}
 * pointing at one key store) and the storage ({@link SharedStorage}: a bucket, or a folder, as the system property
 * {@code smp.test.cluster.storage} chooses). Started once per test class: a node takes half a minute to start on a
 * busy machine.
 */
public final class Cluster implements AutoCloseable {

	private static final String HEAP = "192m";

	private static final String BUNDLE = "--spring.ssl.bundle.jks.smp-server.";

	private final Path directory;

	private final ProcessDatabase database;

	private final SharedStorage storage;

	private final List<String> nodeArguments;

	private final Node a;

	private final Node b;

	private HaproxyProcess haproxy;

	private List<String> sharedCertificate = List.of();

	private String serverFingerprint;

	private Cluster(Path directory, ProcessDatabase database, SharedStorage storage, List<String> nodeArguments) {
		this.directory = directory;
		this.database = database;
		this.storage = storage;
		this.nodeArguments = nodeArguments;
		this.a = new Node("node-1", directory.resolve("node-a"), ServerProcess.freePort(), true);
		this.b = new Node("node-2", directory.resolve("node-b"), ServerProcess.freePort(), false);
	}

	/**
	 * Starts the cluster: a fresh PostgreSQL database named after {@code purpose}, node A (the first of the
	 * database), then node B with what it shares with A, then HAProxy in front of both; returns once HAProxy sees
	 * both nodes up.
	 * @param nodeArguments further arguments for every node (shorter intervals, say)
	 */
	public static Cluster start(Path directory, String purpose, String... nodeArguments) throws Exception {
		Path shared = Files.createDirectories(directory.resolve("shared"));
		SharedStorage storage = SharedStorage.ofTheRun(shared);
		ProcessDatabase database = ProcessDatabase.freshPostgres(purpose);
		Cluster cluster = new Cluster(directory, database, storage, List.of(nodeArguments));
		try {
			cluster.startNode(cluster.a);
			cluster.shareServerCertificate(cluster.a);
			cluster.startNode(cluster.b);
			cluster.haproxy = HaproxyProcess.start(directory.resolve("haproxy"), ServerProcess.freePort(),
					List.of(cluster.a.address(), cluster.b.address()));
			cluster.awaitBalancer(cluster.a, "UP", Duration.ofSeconds(20));
			cluster.awaitBalancer(cluster.b, "UP", Duration.ofSeconds(20));
		}
		catch (Exception | Error ex) {
			cluster.close();
			throw ex;
		}
		return cluster;
	}

	public Node a() {
		return this.a;
	}

	public Node b() {
		return this.b;
	}

	public List<Node> nodes() {
		return List.of(this.a, this.b);
	}

	/** The cluster as its clients reach it: through HAProxy, trusting the shared CA. */
	public TestServer balancer() {
		return new TestServer(this.haproxy.port(), this.a.dataDir.toString());
	}

	public HaproxyProcess haproxy() {
		return this.haproxy;
	}

	public SharedStorage storage() {
		return this.storage;
	}

	/** The SHA-256 fingerprint of the server certificate every node presents, as clients pin it. */
	public String serverFingerprint() {
		return this.serverFingerprint;
	}

	/** Kills the node at once (SIGKILL), as a power cut or the OOM killer would. */
	public void kill(Node node) throws InterruptedException {
		node.process.kill();
	}

	/** Starts every node that is not running, and waits until HAProxy sees it up again. */
	public void ensureRunning() throws Exception {
		for (Node node : nodes()) {
			if (!node.isRunning()) {
				startNode(node);
				awaitBalancer(node, "UP", Duration.ofSeconds(20));
			}
		}
	}

	/** Waits until HAProxy's health checks report the node {@code UP} or {@code DOWN}. */
	public void awaitBalancer(Node node, String status, Duration timeout) throws IOException, InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		String seen;
		while (!(seen = this.haproxy.status(node.name)).startsWith(status)) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("HAProxy sees " + node.name + " " + seen + ", not " + status + ", after "
						+ timeout + "; see " + this.haproxy.log());
			}
			Thread.sleep(200);
		}
	}

	/** The first column of the rows a query on the cluster's database returns, as text. */
	public List<String> column(String sql, Object... parameters) {
		return this.database.column(sql, parameters);
	}

	/**
	 * Waits until the shared storage holds exactly the blobs of the committed versions (in a bucket: no other
	 * object, so no small object of an upload, and no unfinished multipart upload), and the database no unfinished
	 * upload, no resumable upload and no reservation; fails with what is left over otherwise.
	 */
	public void assertStorageMatchesCommittedRows(Duration timeout) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		String mismatch;
		while ((mismatch = storageMismatch()) != null) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError(mismatch);
			}
			Thread.sleep(250);
		}
	}

	private String storageMismatch() {
		TreeSet<String> expected = new TreeSet<>(
				column("SELECT association_id || '/' || id || '.smp' FROM state_store WHERE status = 'COMMITTED'"));
		TreeSet<String> stored = new TreeSet<>(this.storage.objects());
		List<String> uploading = column("SELECT id FROM state_store WHERE status = 'UPLOADING'");
		List<String> resumable = column("SELECT store_id FROM resumable_upload");
		List<String> reservations = column("SELECT id || ' ' || bytes || ' bytes of ' || node_id FROM storage_reservation");
		if (expected.equals(stored) && uploading.isEmpty() && resumable.isEmpty() && reservations.isEmpty()) {
			return null;
		}
		return "stored objects " + stored + " for committed versions " + expected + "; uploading versions "
				+ uploading + "; resumable uploads " + resumable + "; reservations " + reservations;
	}

	private void startNode(Node node) throws IOException {
		List<String> arguments = new ArrayList<>();
		arguments.add("--server.port=" + node.port);
		// one master key for every node: a file they all read, named by its property
		arguments.add("--smp.crypto.master-key-file=" + this.directory.resolve("shared").resolve("master.key"));
		arguments.addAll(this.storage.nodeArguments());
		arguments.addAll(this.sharedCertificate);
		arguments.addAll(this.nodeArguments);
		node.process = ServerProcess.start(node.dataDir, HEAP, this.database.arguments(), node.firstOfDatabase,
				this.storage.nodeEnvironment(), arguments.toArray(String[]::new));
	}

	/**
	 * Makes the server certificate that the first node generated everybody's: its key store goes to the shared
	 * directory, and every node started from now on (the first one again too) is configured with the SSL bundle
	 * {@code smp-server} pointing at it, as docs/scale-out.md tells operators to do. A node so configured generates
	 * no certificate of its own.
	 */
	private void shareServerCertificate(Node first) throws Exception {
		Path tls = Files.createDirectories(this.directory.resolve("shared").resolve("tls"));
		Path keyStore = tls.resolve("server.p12");
		Files.copy(first.dataDir.resolve("tls/server.p12"), keyStore, StandardCopyOption.REPLACE_EXISTING);
		String password = Files.readString(first.dataDir.resolve("tls/server.p12.password"), StandardCharsets.US_ASCII)
			.strip();
		this.sharedCertificate = List.of(BUNDLE + "keystore.location=" + keyStore.toUri(),
				BUNDLE + "keystore.password=" + password, BUNDLE + "keystore.type=PKCS12",
				BUNDLE + "key.alias=smp-server");
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(new ByteArrayInputStream(Files.readAllBytes(keyStore)), password.toCharArray());
		X509Certificate certificate = (X509Certificate) store.getCertificate("smp-server");
		this.serverFingerprint = fingerprint(certificate);
	}

	/** SHA-256 of a certificate's DER encoding, as uppercase hex pairs separated by colons (as smp logs it). */
	public static String fingerprint(X509Certificate certificate) {
		try {
			return HexFormat.ofDelimiter(":").withUpperCase()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() throws Exception {
		try {
			if (this.haproxy != null) {
				this.haproxy.close();
			}
			for (Node node : nodes()) {
				if (node.process != null) {
					node.process.close();
				}
			}
		}
		finally {
			this.database.close();
		}
	}

	/** One node: its data directory (and so its node id), and the port HAProxy knows it by, kept across restarts. */
	public static final class Node {

		private final String name;

		private final Path dataDir;

		private final int port;

		private final boolean firstOfDatabase;

		private ServerProcess process;

		private Node(String name, Path dataDir, int port, boolean firstOfDatabase) {
			this.name = name;
			this.dataDir = dataDir;
			this.port = port;
			this.firstOfDatabase = firstOfDatabase;
		}

		/** The name HAProxy's configuration gives the node. */
		public String name() {
			return this.name;
		}

		/** The node as a client that calls it directly sees it. */
		public TestServer client() {
			return new TestServer(this.port, this.dataDir.toString());
		}

		public boolean isRunning() {
			return this.process != null && this.process.isAlive();
		}

		public Path log() {
			return this.process.log();
		}

		/** The process id of the node's server, while it runs. */
		public long pid() {
			return this.process.pid();
		}

		/** This node's id among the servers of the database ({@code <data-dir>/node-id}). */
		public String nodeId() throws IOException {
			return Files.readString(this.dataDir.resolve("node-id"), StandardCharsets.US_ASCII).strip();
		}

		InetSocketAddress address() {
			return InetSocketAddress.createUnresolved("127.0.0.1", this.port);
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
