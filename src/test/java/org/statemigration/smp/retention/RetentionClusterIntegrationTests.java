package org.statemigration.smp.retention;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.NeedsPostgres;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers, each the packaged jar in a process of its own, share one PostgreSQL database and one storage
 * folder, and both run retention every second while restored associations fall due. Every association's data is
 * deleted exactly once (the deletions counted by both servers add up to the number of associations, and each
 * deletion is logged by one server only), neither server logs an error, and no file is left behind. Without
 * PostgreSQL this test is skipped with a warning, except on CI ({@code CI=true}), where it fails.
 */
@ServerProcessTest
@NeedsPostgres
class RetentionClusterIntegrationTests {

	private static final int ASSOCIATIONS = 30;

	private static final Pattern DATA_DELETIONS = Pattern
		.compile("^smp_retention_deletions_total\\{[^}]*kind=\"data\"[^}]*\\}\\s+(\\S+)$", Pattern.MULTILINE);

	@TempDir
	Path temp;

	private ProcessDatabase database;

	@BeforeEach
	void freshDatabase() {
		this.database = ProcessDatabase.freshPostgres("smp_retention_cluster");
	}

	@AfterEach
	void dropDatabase() throws SQLException {
		this.database.close();
	}

	@Test
	void twoServersDeleteEveryDueAssociationExactlyOnce() throws Exception {
		Path shared = Files.createDirectories(this.temp.resolve("shared-stores"));
		List<String> datasource = this.database.arguments();
		String[] common = { "--smp.storage.folders[0].location=" + shared, "--smp.storage.folders[0].max-clients=1000",
				"--smp.retention.cleanup-interval=PT1S",
				// a delete-after delay of one second, so that restored data falls due at once
				"--smp.retention.allow-immediate-delete=true" };
		Path firstDir = this.temp.resolve("first");
		Path secondDir = this.temp.resolve("second");
		try (ServerProcess first = ServerProcess.start(firstDir, "256m", datasource, true, common)) {
			copyKeys(firstDir, secondDir);
			try (ServerProcess second = ServerProcess.start(secondDir, "256m", datasource, false, common)) {
				TestServer server = first.client();
				OperatorClient admin = server.admin();
				OperatorClient secondAdmin = second.client().operator("admin", server.adminPassword());
				assertThat(admin.patch("/api/v1/settings", "{\"deleteAfter\":\"PT1S\"}").status()).isEqualTo(200);

				List<String> ids = new ArrayList<>();
				for (int i = 0; i < ASSOCIATIONS; i++) {
					ids.add(restoredInPlace(server, admin, "CLUSTER-" + i));
				}

				await(Duration.ofSeconds(90), () -> ids.stream()
					.allMatch((id) -> "DELETED".equals(admin.association(id).path("state").asString())));
				await(Duration.ofSeconds(15), () -> dataDeletions(admin) + dataDeletions(secondAdmin) >= ASSOCIATIONS);
				Thread.sleep(3000);
				int byFirst = dataDeletions(admin);
				int bySecond = dataDeletions(secondAdmin);
				System.out.println("Restored data deleted by the first server: " + byFirst + ", by the second: "
						+ bySecond);
				assertThat(byFirst + bySecond).isEqualTo(ASSOCIATIONS);

				String logs = Files.readString(first.log()) + Files.readString(second.log());
				for (String id : ids) {
					assertThat(occurrences(logs, "Deleted the restored data of association " + id)).as(id).isEqualTo(1);
				}
				assertThat(logs.lines().filter((line) -> line.contains(" ERROR ") || line.contains("Retention could not")))
					.as("errors and failed deletions in the servers' logs")
					.isEmpty();
				await(Duration.ofSeconds(10), () -> filesIn(shared).isEmpty());
				assertThat(filesIn(shared)).isEmpty();
			}
		}
	}

	/** An in-place association (one computer) captured, restored and confirmed through the server's API. */
	private static String restoredInPlace(TestServer server, OperatorClient admin, String name) {
		String id = admin.createAssociation(name, name, "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = server.computer(name);
		assertThat(computer.enroll(admin.enrollmentCode(name)).status()).isEqualTo(201);
		Grant capture = computer.request("CAPTURE");
		assertThat(computer.upload(capture.storeUrl(), capture.token(), RetentionIntegrationTests.randomBytes(10_000), null)
			.status()).isEqualTo(201);
		assertThat(computer.release(capture.token(), true).status()).isEqualTo(200);
		Grant restore = computer.request("RESTORE");
		assertThat(computer.download(restore.storeUrl(), restore.token(), null).statusCode()).isEqualTo(200);
		assertThat(computer.release(restore.token(), true).status()).isEqualTo(200);
		return id;
	}

	/** The second server reads what the first wrote: the same key-encryption keys (the client CA is in the database). */
	private static void copyKeys(Path from, Path to) throws IOException {
		Path keys = Files.createDirectories(to.resolve("keys"));
		try (DirectoryStream<Path> files = Files.newDirectoryStream(from.resolve("keys"), "master.key")) {
			for (Path file : files) {
				Files.copy(file, keys.resolve(file.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
			}
		}
	}

	private static int dataDeletions(OperatorClient admin) {
		var response = admin.send("GET", "/actuator/prometheus", null, "text/plain");
		assertThat(response.status()).isEqualTo(200);
		Matcher matcher = DATA_DELETIONS.matcher(response.body());
		assertThat(matcher.find()).as("smp.retention.deletions{kind=data} is exported").isTrue();
		return (int) Double.parseDouble(matcher.group(1));
	}

	private static int occurrences(String text, String part) {
		int count = 0;
		for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
			count++;
		}
		return count;
	}

	private static List<Path> filesIn(Path directory) {
		try (Stream<Path> files = Files.walk(directory)) {
			return files.filter(Files::isRegularFile).toList();
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
		Instant deadline = Instant.now().plus(timeout);
		while (!condition.getAsBoolean()) {
			if (Instant.now().isAfter(deadline)) {
				throw new AssertionError("Not reached within " + timeout);
			}
			Thread.sleep(250);
		}
	}


}
