package org.statemigration.smp.scrub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.S3Endpoint;
import org.statemigration.smp.support.S3Servers;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TcpGate;
import org.statemigration.smp.support.TestServer;
import org.statemigration.smp.support.cluster.ClusterTest;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The integrity scrub on an S3 location (s3proxy, or Ceph RGW with {@code -Dsmp.test.s3=ceph}): the packaged server,
 * on a PostgreSQL database of its own, keeps several stores in a bucket that it reaches through a {@link TcpGate};
 * one bit of one object is flipped by rewriting the object through the S3 client. The scheduled scrub finds it, names
 * that store alone, marks and audits it once however many passes find it again; the {@code verify} command, run
 * beside the server, names it too. With the gate shut the bucket cannot be reached: a pass reports every store
 * {@code unreadable} and marks nothing more, and the command fails to start (exit 1) rather than report damage. Needs an S3 server, PostgreSQL and two processes:
 * a cluster test.
 */
@ServerProcessTest
@ClusterTest
@NeedsPostgres
class ScrubS3IntegrationTests {

	private static final Path JAR = Path.of("target/smp.jar");

	private static final int STORES = 4;

	@TempDir
	Path temp;

	private final S3Endpoint s3 = S3Servers.ofTheRun();

	@Test
	void theScrubAndTheVerifyCommandFindOneFlippedBitInABucketAndAnUnreachableBucketIsNotDamage() throws Exception {
		String bucket = this.s3.newBucket("scrub");
		Path dataDir = this.temp.resolve("data");
		try (ProcessDatabase database = ProcessDatabase.freshPostgres("smp_scrub_s3");
				TcpGate gate = TcpGate.to(this.s3.endpoint())) {
			List<String> location = location(bucket, gate);
			List<String> arguments = new ArrayList<>(location);
			arguments.addAll(List.of("--smp.scrub.enabled=true", "--smp.scrub.interval=PT2S",
					"--smp.scrub.lock-at-least-for=PT0S", "--smp.scrub.bytes-per-second=20MB"));
			try (ServerProcess process = ServerProcess.start(dataDir, "256m", database.arguments(), true,
					arguments.toArray(String[]::new))) {
				TestServer server = process.client();
				OperatorClient admin = server.admin();
				String[] associations = new String[STORES];
				for (int i = 0; i < STORES; i++) {
					associations[i] = ScrubIntegrationTests.captureAndRelease(server, "S3SCRUB-OLD-" + i,
							"S3SCRUB-NEW-" + i, ScrubIntegrationTests.randomBytes((2 << 20) + 333 * i, 40 + i));
				}
				Instant captured = Instant.now();
				JsonNode clean = awaitPassStartedAfter(admin, captured);
				assertThat(clean.path("stores").asLong()).isEqualTo(STORES);
				assertThat(clean.path("damaged").asLong()).isZero();
				assertThat(clean.path("unreadable").asLong()).isZero();
				assertThat(admin.get("/api/v1/scrub").json().path("damaged").isEmpty()).isTrue();

				String key = objectOf(bucket, associations[2]);
				String storeId = key.substring(key.lastIndexOf('/') + 1).replace(".smp", "");
				byte[] object = this.s3.client()
					.getObjectAsBytes((get) -> get.bucket(bucket).key(key))
					.asByteArray();
				int offset = (1 << 20) + 16 + 20 + 777;
				object[offset] ^= 0x01;
				this.s3.client().putObject((put) -> put.bucket(bucket).key(key), RequestBody.fromBytes(object));
				Instant flipped = Instant.now();

				JsonNode found = awaitPassStartedAfter(admin, flipped);
				assertThat(found.path("stores").asLong()).isEqualTo(STORES);
				assertThat(found.path("damaged").asLong()).isOne();
				JsonNode damaged = admin.get("/api/v1/scrub").json().path("damaged");
				assertThat(damaged).singleElement().satisfies((row) -> {
					assertThat(row.path("storeId").asString()).isEqualTo(storeId);
					assertThat(row.path("associationId").asString()).isEqualTo(associations[2]);
					assertThat(row.path("verdict").asString()).isEqualTo("authentication-failed");
					assertThat(row.path("segment").asLong()).isOne();
				});
				// found again by every later pass, marked and audited once
				awaitPassStartedAfter(admin, Instant.now());
				assertThat(admin.get("/api/v1/audit?action=store.damaged").json().path("items")).singleElement()
					.satisfies((event) -> assertThat(event.path("detail").asString()).contains(storeId)
						.contains("s3://" + bucket + "/"));

				CommandResult verify = verify(dataDir, database, location);
				assertThat(verify.exitCode()).as(verify.output()).isEqualTo(3);
				assertThat(verify.output()).contains("Checked " + STORES + " state store(s)")
					.contains("1 damaged")
					.contains("association " + associations[2] + ", state store " + storeId)
					.contains("authentication-failed: Segment 1 failed authentication");
				for (int i : new int[] { 0, 1, 3 }) {
					assertThat(verify.output()).doesNotContain("association " + associations[i] + ",");
				}

				// the bucket out of reach: unreadable, not damage
				gate.shut();
				try {
					Instant shut = Instant.now();
					JsonNode unreachable = awaitPassStartedAfter(admin, shut);
					assertThat(unreachable.path("stores").asLong()).isEqualTo(STORES);
					assertThat(unreachable.path("unreadable").asLong()).isEqualTo(STORES);
					assertThat(unreachable.path("damaged").asLong()).isZero();
					// the command does not start without its storage: it fails (1), it does not report damage (3)
					CommandResult cut = verify(dataDir, database, location);
					assertThat(cut.exitCode()).as(cut.output()).isEqualTo(1);
					assertThat(cut.output()).contains("s3://" + bucket + "/stores").contains("cannot be used")
						.doesNotContain("Checked ");
				}
				finally {
					gate.open();
				}
				assertThat(admin.get("/api/v1/scrub").json().path("damaged")).singleElement()
					.satisfies((row) -> assertThat(row.path("storeId").asString()).isEqualTo(storeId));
				assertThat(admin.get("/api/v1/audit?action=store.damaged").json().path("total").asLong()).isOne();
				String metrics = admin.send("GET", "/actuator/prometheus", null, "text/plain").body();
				assertThat(metrics).containsPattern("smp_scrub_stores_checked_total\\{result=\"unreadable\"\\} [1-9]")
					.containsPattern("smp_scrub_damaged_stores 1\\.0");
			}
		}
	}

	/** The arguments of a server, or the command, whose only storage location is the bucket through the gate. */
	private List<String> location(String bucket, TcpGate gate) {
		String folder = "--smp.storage.folders[0].";
		return List.of(folder + "location=s3://" + bucket + "/stores", folder + "capacity=200MB",
				folder + "s3.endpoint=" + gate.endpoint(), folder + "s3.region=" + this.s3.region(),
				folder + "s3.path-style=true", folder + "s3.access-key-id=" + this.s3.accessKeyId(),
				folder + "s3.secret-access-key=" + this.s3.secretAccessKey());
	}

	private String objectOf(String bucket, String association) {
		List<String> keys = this.s3.client()
			.listObjectsV2Paginator((list) -> list.bucket(bucket).prefix("stores/" + association + "/"))
			.contents()
			.stream()
			.map(S3Object::key)
			.filter((key) -> key.endsWith(".smp"))
			.toList();
		assertThat(keys).hasSize(1);
		return keys.get(0);
	}

	/** Waits for the first pass of the scheduled scrub that started after the moment given to end, and answers it. */
	static JsonNode awaitPassStartedAfter(OperatorClient admin, Instant after) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
		while (true) {
			JsonNode last = admin.get("/api/v1/scrub").json().path("lastPass");
			if (!last.isNull() && !last.isMissingNode()
					&& Instant.parse(last.path("startedAt").asString()).isAfter(after)) {
				return last;
			}
			assertThat(System.nanoTime()).as("a pass of the scrub that started after %s, within 120 s", after)
				.isLessThan(deadline);
			Thread.sleep(250);
		}
	}

	private CommandResult verify(Path dataDir, ProcessDatabase database, List<String> location)
			throws IOException, InterruptedException {
		List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Xmx128m", "-jar", JAR.toAbsolutePath().toString(), "verify",
				"--smp.data-dir=" + dataDir.toAbsolutePath()));
		command.addAll(location);
		command.addAll(database.arguments());
		Path output = Files.createTempFile(this.temp, "verify", ".log");
		Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
		assertThat(process.waitFor(180, TimeUnit.SECONDS)).as("verify finished").isTrue();
		return new CommandResult(process.exitValue(), Files.readString(output));
	}

	record CommandResult(int exitCode, String output) {
	}

}
