package org.statemigration.smp.report;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.ServerProcessTest;
import org.statemigration.smp.support.TestEnvironments;
import org.statemigration.smp.support.TestServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CSV export and the report of an installation with far more associations than the server's heap could hold
 * at once: the packaged jar in its own process with {@code -Xmx96m}, on a PostgreSQL database filled with 200,000
 * associations (a CSV of about 24 MB). The rows read whole, as records, would take more than the heap; the answer
 * buffered whole, as text, a good part of it. A load test ({@code mvn verify -Pload}): it takes minutes. Its
 * database is PostgreSQL whatever the run's, since the test fills it beside the running server.
 */
@ServerProcessTest
class LargeReportExportLoadIntegrationTests {

	private static final int ROWS = 200_000;

	@TempDir
	Path temp;

	@Test
	void exportsMoreRowsThanTheHeapCouldHoldAtOnce() throws Exception {
		try (ProcessDatabase database = ProcessDatabase.freshPostgres("smp_report_export");
				ServerProcess process = ServerProcess.start(this.temp.resolve("data"), "96m", database.arguments(),
						true)) {
			TestServer server = process.client();
			OperatorClient admin = server.admin();
			admin.createAssociation("BULK-OLD", "BULK-NEW", "CAPTURE_ALL_RESTORE_ALL");
			fill(database);

			HttpClient http = HttpClient.newBuilder().sslContext(server.trustingContext()).build();
			String basic = "Basic " + Base64.getEncoder()
				.encodeToString(("admin:" + server.adminPassword()).getBytes(StandardCharsets.UTF_8));
			HttpRequest request = HttpRequest.newBuilder(server.uri("/api/v1/reports/migration-status?computer=BULK-OLD"))
				.header("Accept", "text/csv")
				.header("Authorization", basic)
				.timeout(Duration.ofMinutes(10))
				.build();
			long start = System.nanoTime();
			HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Length")).isEmpty();
			long lines = 0;
			long bytes = 0;
			String last = null;
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
				for (String line = reader.readLine(); line != null; line = reader.readLine()) {
					lines++;
					bytes += line.length() + 2;
					last = line;
				}
			}
			System.out.println("export of " + lines + " lines, " + bytes + " bytes, in "
					+ Duration.ofNanos(System.nanoTime() - start));
			assertThat(lines).isEqualTo(1 + ROWS + 1);
			assertThat(bytes).as("an answer of about a quarter of the heap").isGreaterThan(20L * 1024 * 1024);
			assertThat(last).as("the oldest association, last").contains(",BULK-OLD,BULK-NEW,").endsWith(",0,");

			JsonNode report = admin.get("/api/v1/reports/migration-status?computer=BULK-OLD").json();
			assertThat(report.path("total").asLong()).isEqualTo(ROWS + 1);
			assertThat(report.path("byState").path("CREATED").asLong()).isEqualTo(ROWS + 1);
			assertThat(Files.readString(process.log())).doesNotContain("OutOfMemoryError");
			assertThat(process.isAlive()).isTrue();
		}
	}

	/** Copies the one association of BULK-OLD many times over, each a millisecond older than the one before. */
	private static void fill(ProcessDatabase database) throws Exception {
		try (Connection connection = DriverManager.getConnection(database.jdbcUrl(), TestEnvironments.user(),
				TestEnvironments.password()); Statement statement = connection.createStatement()) {
			statement.executeUpdate("""
					INSERT INTO computer_association (id, source_computer_id, destination_computer_id, migration_type,
					    user_account_mode, user_accounts, notes, state, encryption_key_wrapped, key_algorithm,
					    legal_hold, created_at, created_by, updated_at)
					SELECT gen_random_uuid(), a.source_computer_id, a.destination_computer_id, a.migration_type,
					    a.user_account_mode, a.user_accounts, a.notes, a.state, a.encryption_key_wrapped, a.key_algorithm,
					    a.legal_hold, a.created_at - g * INTERVAL '1 millisecond', a.created_by, a.updated_at
					FROM computer_association a CROSS JOIN generate_series(1, %d) AS g""".formatted(ROWS));
			statement.execute("ANALYZE computer_association");
		}
	}

}
