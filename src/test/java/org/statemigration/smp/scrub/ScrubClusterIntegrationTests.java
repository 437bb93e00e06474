package org.statemigration.smp.scrub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.cluster.Cluster;
import org.statemigration.smp.support.cluster.Cluster.Node;
import org.statemigration.smp.support.cluster.ClusterTest;
import org.statemigration.smp.support.cluster.SharedStorage;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scheduled integrity scrub on two server processes that share one PostgreSQL database and one storage
 * ({@link Cluster}: a bucket, or a folder), both with the scrub on a short interval and a small budget of bytes per
 * second, so that a pass over several small stores takes seconds. Only one node scrubs at a time (the lock row):
 * what both nodes checked together never exceeds what the completed passes account for, every completed pass
 * checked each store once and read each blob once, and a damaged store is marked once and audited once however many
 * passes on either node find it. A node killed (SIGKILL) in the middle of a pass leaves its lock to expire; the
 * other node then goes on with that pass after the last store recorded, checks only the stores the dead node had
 * not, and the pass ends with the counts of one whole pass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ServerProcessTest
@ClusterTest
@NeedsPostgres
class ScrubClusterIntegrationTests {

	private static final int STORES = 8;

	private static final Pattern PASS = Pattern
		.compile("scheduled scrub: (\\d+) version\\(s\\) checked, (\\d+) byte\\(s\\) read, (\\d+) damaged, (\\d+) unreadable");

	private Cluster cluster;

	private TestServer server;

	private OperatorClient admin;

	private final String[] associations = new String[STORES];

	private long storedBytes;

	@BeforeAll
	void start() throws Exception {
		Path directory = Files.createTempDirectory(Path.of("target"), "scrub-cluster-");
		// a store of 150 KB takes about 1.5 s at 100 KB a second: a pass over eight takes about 12 s
		this.cluster = Cluster.start(directory, "smp_scrub_cluster", "--smp.scrub.enabled=true",
				"--smp.scrub.interval=PT5S", "--smp.scrub.lock-at-least-for=PT0S",
				"--smp.scrub.lock-at-most-for=PT1M", "--smp.scrub.bytes-per-second=100KB");
		this.server = this.cluster.balancer();
		this.admin = this.server.admin();
		for (int i = 0; i < STORES; i++) {
			this.associations[i] = ScrubIntegrationTests.captureAndRelease(this.server, "CSCRUB-OLD-" + i,
					"CSCRUB-NEW-" + i, ScrubIntegrationTests.randomBytes(150_000 + 111 * i, 60 + i));
		}
		this.storedBytes = storedBytes();
	}

	@AfterAll
	void stop() throws Exception {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	@Order(1)
	void oneNodeScrubsAtATimeAndADamagedStoreIsMarkedAndAuditedOnce() throws Exception {
		Instant captured = Instant.now();
		ScrubS3IntegrationTests.awaitPassStartedAfter(this.admin, captured);
		long passesBefore = scheduledPasses().size();
		long checkedBefore = checkedOnBothNodes();

		String storeId = flipOneBit(this.associations[5]);
		Instant flipped = Instant.now();
		JsonNode found = ScrubS3IntegrationTests.awaitPassStartedAfter(this.admin, flipped);
		assertThat(found.path("damaged").asLong()).isOne();
		// two more passes, on either node, that find it again
		ScrubS3IntegrationTests.awaitPassStartedAfter(this.admin, Instant.now());
		ScrubS3IntegrationTests.awaitPassStartedAfter(this.admin, Instant.now());

		long checkedAfter = checkedOnBothNodes();
		List<long[]> passes = scheduledPasses();
		long completed = passes.size() - passesBefore;
		assertThat(completed).isGreaterThanOrEqualTo(3);
		// both nodes scrubbing at once would check up to twice as many
		assertThat(checkedAfter - checkedBefore).as("checked by both nodes in %d passes", completed)
			.isBetween(STORES * (completed - 1), STORES * (completed + 1));
		for (long[] pass : passes.subList((int) passesBefore, passes.size())) {
			assertThat(pass[0]).as("stores of a pass").isEqualTo(STORES);
			assertThat(pass[1]).as("bytes of a pass").isEqualTo(this.storedBytes);
		}
		assertThat(passes.get(passes.size() - 1)[2]).as("damaged in the last pass").isOne();

		JsonNode damaged = this.admin.get("/api/v1/scrub").json().path("damaged");
		assertThat(damaged).singleElement().satisfies((row) -> {
			assertThat(row.path("storeId").asString()).isEqualTo(storeId);
			assertThat(row.path("associationId").asString()).isEqualTo(this.associations[5]);
		});
		assertThat(this.admin.get("/api/v1/audit?action=store.damaged").json().path("items")).singleElement()
			.satisfies((event) -> assertThat(event.path("detail").asString()).contains(storeId));
		assertThat(this.cluster.column("SELECT COUNT(*) FROM scrub_damaged_store")).containsExactly("1");
		assertThat(this.cluster.column("SELECT COUNT(*) FROM shedlock WHERE name = 'smp-scrub'")).containsExactly("1");
		List<String> nodeIds = List.of(this.cluster.a().nodeId(), this.cluster.b().nodeId());
		assertThat(nodeIds).contains(lockedBy());
	}

	@Test
	@Order(2)
	void aPassCutShortByAKilledNodeIsGoneOnWithByTheOtherAfterTheLastStoreRecorded() throws Exception {
		Instant now = Instant.now();
		// a pass that started after now, with some stores checked and some left
		await(Duration.ofSeconds(120), () -> {
			List<String> row = this.cluster.column("SELECT pass_started_at || '|' || stores_checked FROM scrub_progress "
					+ "WHERE pass_started_at IS NOT NULL AND stores_checked BETWEEN 2 AND " + (STORES - 3));
			return !row.isEmpty() && this.cluster.column("SELECT lock_until > now() FROM shedlock WHERE name = 'smp-scrub'")
				.equals(List.of("t"));
		});
		String holder = lockedBy();
		Node victim = (holder.equals(this.cluster.a().nodeId())) ? this.cluster.a() : this.cluster.b();
		Node survivor = (victim == this.cluster.a()) ? this.cluster.b() : this.cluster.a();
		this.cluster.kill(victim);
		long startedAt = Long.parseLong(single(this.cluster
			.column("SELECT (extract(epoch FROM pass_started_at) * 1000000)::bigint FROM scrub_progress")));
		long checkedByTheDead = Long.parseLong(single(this.cluster.column("SELECT stores_checked FROM scrub_progress")));
		String lastStore = single(this.cluster.column("SELECT last_store_id FROM scrub_progress"));
		assertThat(checkedByTheDead).isBetween(1L, STORES - 2L);
		long survivorBefore = checked(survivor);
		long passesBefore = scheduledPasses().size();

		// the dead node's lock holds until it expires; then the survivor goes on with the pass
		OperatorClient onSurvivor = survivor.client().operator("admin", this.server.adminPassword());
		await(Duration.ofSeconds(150), () -> scheduledPasses().size() > passesBefore);
		long survivorAfter = checked(survivor);
		JsonNode last = onSurvivor.get("/api/v1/scrub").json().path("lastPass");

		Instant lastStarted = Instant.parse(last.path("startedAt").asString());
		assertThat(lastStarted.getEpochSecond() * 1_000_000 + lastStarted.getNano() / 1000)
			.as("the pass gone on with keeps its start").isEqualTo(startedAt);
		assertThat(last.path("stores").asLong()).as("one whole pass").isEqualTo(STORES);
		assertThat(last.path("bytes").asLong()).isEqualTo(this.storedBytes);
		assertThat(last.path("damaged").asLong()).isOne();
		assertThat(survivorAfter - survivorBefore).as("the survivor checked only what the dead node had not")
			.isEqualTo(STORES - checkedByTheDead);
		assertThat(passMetric(survivor, "skipped")).as("the survivor waited for the dead node's lock").isPositive();
		assertThat(Files.readString(survivor.log()))
			.contains("Going on with the scrub that started at " + lastStarted
					+ " after " + checkedByTheDead + " version(s)");
		assertThat(this.cluster.column("SELECT id FROM state_store WHERE status = 'COMMITTED' AND id > ?::uuid "
				+ "ORDER BY id", lastStore)).as("the stores after the last recorded").hasSize((int) (STORES - checkedByTheDead));
		assertThat(this.admin.get("/api/v1/audit?action=store.damaged").json().path("total").asLong()).isOne();
		this.cluster.ensureRunning();
	}

	/** Flips one bit of the store's blob in the shared storage, rewriting the object in a bucket. */
	private String flipOneBit(String association) throws IOException {
		int offset = 20 + 70_000;
		if (this.cluster.storage() instanceof SharedStorage.Bucket bucket) {
			String key = bucket.server()
				.client()
				.listObjectsV2Paginator((list) -> list.bucket(bucket.bucket()).prefix(bucket.prefix() + "/" + association + "/"))
				.contents()
				.stream()
				.map(S3Object::key)
				.filter((name) -> name.endsWith(".smp"))
				.findFirst()
				.orElseThrow();
			byte[] object = bucket.server().client().getObjectAsBytes((get) -> get.bucket(bucket.bucket()).key(key)).asByteArray();
			object[offset] ^= 0x01;
			bucket.server().client().putObject((put) -> put.bucket(bucket.bucket()).key(key), RequestBody.fromBytes(object));
			return key.substring(key.lastIndexOf('/') + 1).replace(".smp", "");
		}
		SharedStorage.Folder folder = (SharedStorage.Folder) this.cluster.storage();
		Path blob;
		try (Stream<Path> files = Files.list(folder.location().resolve(association))) {
			blob = files.filter((file) -> file.getFileName().toString().endsWith(".smp")).findFirst().orElseThrow();
		}
		ScrubIntegrationTests.flipBit(blob, offset);
		return blob.getFileName().toString().replace(".smp", "");
	}

	/** The size of every committed blob together, as the storage holds them. */
	private long storedBytes() throws IOException {
		if (this.cluster.storage() instanceof SharedStorage.Bucket bucket) {
			return bucket.server()
				.client()
				.listObjectsV2Paginator((list) -> list.bucket(bucket.bucket()).prefix(bucket.prefix() + "/"))
				.contents()
				.stream()
				.filter((object) -> object.key().endsWith(".smp"))
				.mapToLong(S3Object::size)
				.sum();
		}
		SharedStorage.Folder folder = (SharedStorage.Folder) this.cluster.storage();
		long total = 0;
		try (Stream<Path> files = Files.walk(folder.location())) {
			for (Path file : files.filter((file) -> file.getFileName().toString().endsWith(".smp")).toList()) {
				total += Files.size(file);
			}
		}
		return total;
	}

	/** The counts of every completed scheduled pass, oldest first: stores, bytes, damaged, unreadable. */
	private List<long[]> scheduledPasses() {
		JsonNode items = this.admin.get("/api/v1/audit?action=scrub.pass&size=100").json().path("items");
		List<long[]> passes = new ArrayList<>();
		for (JsonNode event : items) {
			Matcher matcher = PASS.matcher(event.path("detail").asString());
			if (matcher.find()) {
				passes.add(0, new long[] { Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)),
						Long.parseLong(matcher.group(3)), Long.parseLong(matcher.group(4)) });
			}
		}
		return passes;
	}

	private long checkedOnBothNodes() {
		return this.cluster.nodes().stream().mapToLong(this::checked).sum();
	}

	/** The stores the node checked since it started, whatever it found. */
	private long checked(Node node) {
		String metrics = metrics(node);
		long total = 0;
		Matcher matcher = Pattern.compile("smp_scrub_stores_checked_total\\{result=\"[a-z]+\"\\} ([0-9.]+)").matcher(metrics);
		while (matcher.find()) {
			total += (long) Double.parseDouble(matcher.group(1));
		}
		return total;
	}

	private long passMetric(Node node, String outcome) {
		Matcher matcher = Pattern.compile("smp_scrub_passes_total\\{outcome=\"" + outcome + "\"\\} ([0-9.]+)")
			.matcher(metrics(node));
		return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
	}

	private String metrics(Node node) {
		return node.client()
			.operator("admin", this.server.adminPassword())
			.send("GET", "/actuator/prometheus", null, "text/plain")
			.body();
	}

	private String lockedBy() {
		return single(this.cluster.column("SELECT locked_by FROM shedlock WHERE name = 'smp-scrub'"));
	}

	private static String single(List<String> values) {
		assertThat(values).hasSize(1);
		return values.get(0);
	}

	private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (!condition.getAsBoolean()) {
			assertThat(Instant.now()).as("waited %s", timeout).isBefore(deadline);
			Thread.sleep(200);
		}
	}

}
