package org.statemigration.smp.report;

import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/reports/migration-status}: who may read it, its sections on associations seeded in every
 * state through the client API (ages moved back in the database), the same filters as the associations list, and
 * the CSV export. The shared server holds other tests' associations too, so each test filters on a source computer
 * of its own. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class MigrationStatusReportIntegrationTests extends AdminApiTestSupport {

	private static final String REPORT = "/api/v1/reports/migration-status";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MigrationStatusReports reports;

	private String source;

	private ComputerClient sourceClient;

	@BeforeEach
	void sourceComputer() {
		this.source = unique("RPT-SRC");
	}

	@Test
	void anonymousIsUnauthorized() {
		Response response = this.server.anonymous().get(REPORT);
		assertProblem(response, 401, "unauthorized");
		assertThat(response.header("WWW-Authenticate")).startsWith("Basic ");
		assertProblem(this.server.anonymous().send("GET", REPORT, null, "text/csv"), 401, "unauthorized");
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "ADMIN", "OSD_MANAGER", "RECOVERY_VIEWER", "AUDITOR" })
	void everyOperatorRoleMayReadTheReportAndItsExport(String role) {
		OperatorClient operator = this.admin.createOperator(unique("report-" + role).toLowerCase(Locale.ROOT), role);
		Response response = operator.get(REPORT);
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().path("byState").isObject()).isTrue();
		Response csv = operator.send("GET", REPORT, null, "text/csv");
		assertThat(csv.status()).as(csv.body()).isEqualTo(200);
		assertThat(csv.header("Content-Type")).startsWith("text/csv");
	}

	@Test
	void anOperatorWhosePasswordWasResetIsForbiddenUntilItIsChanged() {
		OperatorClient target = this.admin.createOperator(unique("report-reset").toLowerCase(Locale.ROOT), "OSD_MANAGER");
		String temporary = "a-temporary-password-for-reports";
		assertThat(this.admin.post("/api/v1/admins/" + target.username() + "/password-reset",
				Map.of("temporaryPassword", temporary)).status()).isEqualTo(200);
		OperatorClient reset = this.server.operator(target.username(), temporary);
		assertProblem(reset.get(REPORT), 403, "password-change-required");
		assertProblem(reset.send("GET", REPORT, null, "text/csv"), 403, "password-change-required");
	}

	@Test
	void refusesBadParameters() {
		assertProblem(this.admin.get(REPORT + "?days=0"), 400, "validation");
		assertProblem(this.admin.get(REPORT + "?days=3651"), 400, "validation");
		assertProblem(this.admin.get(REPORT + "?days=seven"), 400, "validation");
		assertProblem(this.admin.get(REPORT + "?state=LOST"), 400, "validation");
		assertProblem(this.admin.send("GET", REPORT + "?days=0", null, "text/csv"), 400, "validation");
		assertProblem(this.admin.send("GET", REPORT, null, "application/xml"), 406, "validation");
	}

	@Test
	void withoutAnAcceptHeaderOrWithAnyTypeTheReportIsJson() {
		Response any = this.admin.send("GET", REPORT, null, "*/*");
		assertThat(any.status()).as(any.body()).isEqualTo(200);
		assertThat(any.header("Content-Type")).startsWith("application/json");
	}

	@Test
	void theApiDocumentDescribesBothAnswers() {
		JsonNode content = this.admin.get("/v3/api-docs").json().path("paths").path(REPORT).path("get")
			.path("responses").path("200").path("content");
		assertThat(content.propertyNames()).contains("application/json", "text/csv");
	}

	@Test
	void reportsAssociationsInEveryStateWithTheirSections() {
		Seeded seeded = seed();
		JsonNode report = this.admin.get(REPORT + "?computer=" + this.source).json();

		assertThat(report.path("total").asLong()).isEqualTo(6);
		assertThat(report.path("filters").path("computer").asString()).isEqualTo(this.source);
		assertThat(report.path("filters").path("days").asInt()).isEqualTo(7);
		JsonNode byState = report.path("byState");
		assertThat(byState.propertyNames()).containsExactly("CREATED", "CAPTURING", "CAPTURED", "RESTORING",
				"RESTORED", "DELETED");
		assertThat(byState.path("CREATED").asLong()).isEqualTo(1);
		assertThat(byState.path("CAPTURING").asLong()).isEqualTo(1);
		assertThat(byState.path("CAPTURED").asLong()).isEqualTo(2);
		assertThat(byState.path("RESTORING").asLong()).isZero();
		assertThat(byState.path("RESTORED").asLong()).isEqualTo(2);
		assertThat(byState.path("DELETED").asLong()).isZero();

		List<Long> ages = new ArrayList<>();
		report.path("byAge").forEach((bucket) -> ages.add(bucket.path("count").asLong()));
		// the long-waiting one was created 40 days ago, the others today
		assertThat(ages).containsExactly(5L, 0L, 0L, 1L, 0L);
		assertThat(report.path("byAge").get(3).path("fromDays").asInt()).isEqualTo(30);
		assertThat(report.path("byAge").get(4).path("toDays").isNull()).isTrue();

		JsonNode locations = report.path("locations");
		assertThat(locations).hasSize(1);
		assertThat(locations.get(0).path("location").asString())
			.isEqualTo(this.server.dataDir().resolve("stores").toAbsolutePath().normalize().toString());
		assertThat(locations.get(0).path("kind").asString()).isEqualTo("folder");
		assertThat(locations.get(0).path("associations").asLong()).isEqualTo(4);
		assertThat(locations.get(0).path("sizeBytes").asLong()).isEqualTo(1_000 + 2_000 + 3_000 + 4_000);

		JsonNode waiting = report.path("waitingForRestore");
		assertThat(waiting.path("total").asLong()).isEqualTo(1);
		assertThat(waiting.path("items").get(0).path("id").asString()).isEqualTo(seeded.waiting);
		assertThat(waiting.path("items").get(0).path("waitingDays").asLong()).isEqualTo(10);
		assertThat(waiting.path("items").get(0).path("ageDays").asLong()).isEqualTo(40);
		assertThat(waiting.path("items").get(0).path("storeSizeBytes").asLong()).isEqualTo(1_000);

		JsonNode deletions = report.path("upcomingDeletions");
		assertThat(deletions.path("total").asLong()).isEqualTo(1);
		assertThat(deletions.path("items").get(0).path("id").asString()).isEqualTo(seeded.restored);
		assertThat(deletions.path("items").get(0).path("deleteAt").asString()).endsWith("Z");
		JsonNode held = report.path("heldFromDeletion");
		assertThat(held.path("total").asLong()).isEqualTo(1);
		assertThat(held.path("items").get(0).path("id").asString()).isEqualTo(seeded.held);
		assertThat(held.path("items").get(0).path("legalHold").asBoolean()).isTrue();

		JsonNode failed = report.path("failedReleases");
		assertThat(failed.path("total").asLong()).isEqualTo(1);
		JsonNode release = failed.path("items").get(0);
		assertThat(release.path("associationId").asString()).isEqualTo(seeded.failed);
		assertThat(release.path("computer").asString()).isEqualTo(this.source);
		assertThat(release.path("operation").asString()).isEqualTo("CAPTURE");
		assertThat(release.path("message").asString()).isEqualTo("USMT exit code 61");
		assertThat(release.path("state").asString()).isEqualTo("CAPTURING");
		assertThat(release.path("unresolved").asBoolean()).isTrue();

		// a shorter horizon: the capture of ten days ago waits longer than 3 days, and the deletion of tomorrow is
		// not within 0 days; a longer one: nothing waits longer than 30 days
		assertThat(this.admin.get(REPORT + "?computer=" + this.source + "&days=30").json().path("waitingForRestore")
			.path("total").asLong()).isZero();
		assertThat(this.admin.get(REPORT + "?computer=" + this.source + "&days=3").json().path("waitingForRestore")
			.path("total").asLong()).isEqualTo(1);

		// the failed release is in the audit log
		JsonNode audit = this.admin.get("/api/v1/audit?action=store.release-failed&actor=" + this.source).json();
		assertThat(audit.path("items")).hasSize(1);
		assertThat(audit.path("items").get(0).path("target").asString()).isEqualTo(seeded.failed);
		assertThat(audit.path("items").get(0).path("outcome").asString()).isEqualTo("FAILURE");
	}

	@Test
	void aFailedReleaseIsResolvedOnceTheCaptureSucceeds() {
		String id = this.admin.createAssociation(this.source, unique("RPT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		enrollSource();
		Grant failed = this.sourceClient.request("CAPTURE");
		assertThat(this.sourceClient.post("/api/v1/mp/release-state-store",
				Map.of("success", false, "message", "=cmd|' /C calc'!A0"), failed.token()).status()).isEqualTo(200);
		JsonNode release = this.admin.get(REPORT + "?computer=" + this.source).json().path("failedReleases")
			.path("items").get(0);
		assertThat(release.path("unresolved").asBoolean()).isTrue();
		assertThat(release.path("message").asString()).isEqualTo("=cmd|' /C calc'!A0");

		capture(1_500);
		release = this.admin.get(REPORT + "?computer=" + this.source).json().path("failedReleases").path("items").get(0);
		assertThat(release.path("associationId").asString()).isEqualTo(id);
		assertThat(release.path("state").asString()).isEqualTo("CAPTURED");
		assertThat(release.path("unresolved").asBoolean()).isFalse();
		assertThat(this.admin.get(REPORT + "?computer=" + this.source + "&state=CREATED").json()
			.path("failedReleases").path("total").asLong()).as("filtered out by state").isZero();
	}

	@Test
	void theFiltersAreThoseOfTheAssociationsList() {
		seed();
		String other = unique("RPT-OTHER");
		this.admin.createAssociation(other, unique("RPT-OTHER-D"), "CAPTURE_ALL_RESTORE_ALL");
		List<String> computers = List.of(this.source, this.source.toLowerCase(Locale.ROOT), other, "NO-SUCH-PC");
		List<String> states = new ArrayList<>(List.of(""));
		for (String state : List.of("CREATED", "CAPTURING", "CAPTURED", "RESTORING", "RESTORED", "DELETED")) {
			states.add(state);
		}
		for (String computer : computers) {
			for (String state : states) {
				String query = "?computer=" + computer + (state.isEmpty() ? "" : "&state=" + state);
				JsonNode list = this.admin.get("/api/v1/associations" + query + "&size=500").json();
				JsonNode report = this.admin.get(REPORT + query).json();
				assertThat(report.path("total").asLong()).as(query).isEqualTo(list.path("total").asLong());
				List<String> listed = new ArrayList<>();
				list.path("items").forEach((a) -> listed.add(a.path("id").asString()));
				assertThat(csvIds(this.admin.send("GET", REPORT + query, null, "text/csv").body())).as(query)
					.isEqualTo(listed);
			}
		}
	}

	@Test
	void theCsvExportHasOneRowPerAssociationWithItsColumns() {
		Seeded seeded = seed();
		Response response = this.admin.send("GET", REPORT + "?computer=" + this.source, null, "text/csv");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Type")).isEqualTo("text/csv;charset=UTF-8");
		assertThat(response.header("Content-Disposition")).isEqualTo("attachment; filename=\"migration-status.csv\"");
		String[] lines = response.body().split("\r\n", -1);
		assertThat(lines[0]).isEqualTo("id,sourceComputer,destinationComputer,migrationType,state,legalHold,"
				+ "storeSizeBytes,location,locationKind,createdAt,capturedAt,restoredAt,deleteAt,ageDays,waitingDays");
		assertThat(lines).hasSize(1 + 6 + 1);
		assertThat(lines[lines.length - 1]).as("CRLF after the last row too").isEmpty();
		String waiting = List.of(lines).stream().filter((l) -> l.startsWith(seeded.waiting)).findFirst().orElseThrow();
		String[] cells = waiting.split(",", -1);
		assertThat(cells).hasSize(15);
		assertThat(cells[1]).isEqualTo(this.source);
		assertThat(cells[3]).isEqualTo("SIDE_BY_SIDE");
		assertThat(cells[4]).isEqualTo("CAPTURED");
		assertThat(cells[5]).isEqualTo("false");
		assertThat(cells[6]).isEqualTo("1000");
		assertThat(cells[7]).isEqualTo(this.server.dataDir().resolve("stores").toAbsolutePath().normalize().toString());
		assertThat(cells[8]).isEqualTo("folder");
		assertThat(Instant.parse(cells[10])).isBefore(Instant.now().minus(9, ChronoUnit.DAYS));
		assertThat(cells[12]).isEmpty();
		assertThat(cells[13]).isEqualTo("40");
		assertThat(cells[14]).isEqualTo("10");
		String created = List.of(lines).stream().filter((l) -> l.startsWith(seeded.created)).findFirst().orElseThrow();
		assertThat(created.split(",", -1)[7]).as("no location before a capture").isEmpty();
	}

	@Test
	void aComputerNameThatLooksLikeAFormulaIsDefusedInTheCsv() {
		String formula = "-" + unique("RPT");
		this.source = formula;
		this.admin.createAssociation(formula, unique("RPT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String body = this.admin.send("GET", REPORT + "?computer=" + formula, null, "text/csv").body();
		String row = body.split("\r\n")[1];
		assertThat(row.split(",")[1]).isEqualTo("'" + formula);
		assertThat(row).doesNotContain("," + formula);
	}

	@Test
	void aLargeExportIsStreamedInPagesWithEveryRowOnce() throws IOException {
		// more rows than three pages of the walk, most of them created at the same instant, so that the pages
		// are cut between rows of equal creation time
		int rows = 3 * MigrationStatusReports.PAGE + 17;
		UUID computer = computerRow(this.source);
		UUID destination = computerRow(unique("RPT-BULK-D"));
		Instant same = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
		List<String> inserted = new ArrayList<>();
		for (int i = 0; i < rows; i++) {
			UUID id = UUID.randomUUID();
			inserted.add(id.toString());
			Instant created = (i % 10 == 0) ? same.plusSeconds(i) : same;
			this.jdbc.sql("""
					INSERT INTO computer_association (id, source_computer_id, destination_computer_id, migration_type,
					    user_account_mode, user_accounts, notes, state, encryption_key_wrapped, key_algorithm,
					    legal_hold, created_at, created_by, updated_at)
					VALUES (?, ?, ?, 'SIDE_BY_SIDE', 'CAPTURE_ALL_RESTORE_ALL', '', NULL, 'CREATED', ?, 'AES_256',
					    FALSE, ?, 'report-test', ?)""")
				.params(id, computer, destination, new byte[] { 1 }, created.atOffset(ZoneOffset.UTC),
						created.atOffset(ZoneOffset.UTC))
				.update();
		}
		Response response = this.admin.send("GET", REPORT + "?computer=" + this.source, null, "text/csv");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.header("Content-Length")).as("streamed, not buffered whole").isNull();
		List<String> ids = csvIds(response.body());
		assertThat(ids).hasSize(rows).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(inserted);
		JsonNode report = this.admin.get(REPORT + "?computer=" + this.source).json();
		assertThat(report.path("total").asLong()).isEqualTo(rows);
		assertThat(report.path("byState").path("CREATED").asLong()).isEqualTo(rows);
		assertThat(report.path("byAge").get(1).path("count").asLong()).isEqualTo(rows);
		// the export holds one page of rows at a time: the walk hands them over 500 at most
		List<Integer> pages = new ArrayList<>();
		this.reports.forEachPage(new MigrationStatusFilter(null, this.source, 7), (page) -> pages.add(page.size()));
		assertThat(pages).containsExactly(500, 500, 500, 17);
		// the first page of the associations list is the start of the export, in the same order
		List<String> firstPage = new ArrayList<>();
		this.admin.get("/api/v1/associations?computer=" + this.source + "&size=500")
			.json()
			.path("items")
			.forEach((a) -> firstPage.add(a.path("id").asString()));
		assertThat(ids.subList(0, 500)).isEqualTo(firstPage);
	}

	private UUID computerRow(String name) {
		UUID id = UUID.randomUUID();
		this.jdbc.sql("INSERT INTO computer (id, name, name_key, created_at) VALUES (?, ?, ?, ?)")
			.params(id, name, name.toLowerCase(Locale.ROOT), Instant.now().atOffset(ZoneOffset.UTC))
			.update();
		return id;
	}

	/**
	 * Six associations of one source computer: one waiting for a restore for ten days (created 40 days ago), one
	 * captured today, one restored (deleted tomorrow), one restored under legal hold, one whose capture failed, and
	 * one just created.
	 */
	private Seeded seed() {
		String waiting = this.admin.createAssociation(this.source, unique("RPT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String captured = this.admin.createAssociation(this.source, unique("RPT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String restoredDestination = unique("RPT-DST");
		String restored = this.admin.createAssociation(this.source, restoredDestination, "CAPTURE_ALL_RESTORE_ALL");
		String heldDestination = unique("RPT-DST");
		String held = this.admin.createAssociation(this.source, heldDestination, "CAPTURE_ALL_RESTORE_ALL");
		String failed = this.admin.createAssociation(this.source, unique("RPT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		enrollSource();
		// captures take the oldest association not captured yet
		assertThat(capture(1_000)).isEqualTo(waiting);
		assertThat(capture(2_000)).isEqualTo(captured);
		assertThat(capture(3_000)).isEqualTo(restored);
		assertThat(capture(4_000)).isEqualTo(held);
		Grant failedCapture = this.sourceClient.request("CAPTURE");
		assertThat(failedCapture.associationId()).isEqualTo(failed);
		assertThat(this.sourceClient.post("/api/v1/mp/release-state-store",
				Map.of("success", false, "message", "USMT exit code 61"), failedCapture.token()).status())
			.isEqualTo(200);
		restore(restoredDestination);
		restore(heldDestination);
		assertThat(this.admin.put("/api/v1/associations/" + held + "/legal-hold",
				Map.of("hold", true, "reason", "report test")).status()).isEqualTo(200);
		String created = this.admin.createAssociation(this.source, unique("RPT-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Instant now = Instant.now();
		this.jdbc.sql("UPDATE computer_association SET captured_at = ?, created_at = ? WHERE id = ?")
			.params(now.minus(10, ChronoUnit.DAYS).minusSeconds(60).atOffset(ZoneOffset.UTC),
					now.minus(40, ChronoUnit.DAYS).minusSeconds(60).atOffset(ZoneOffset.UTC), UUID.fromString(waiting))
			.update();
		return new Seeded(waiting, captured, restored, held, failed, created);
	}

	private void enrollSource() {
		this.sourceClient = this.server.computer(this.source);
		assertThat(this.sourceClient.enroll(this.admin.enrollmentCode(this.source)).status()).isEqualTo(201);
	}

	private String capture(int size) {
		Grant capture = this.sourceClient.request("CAPTURE");
		assertThat(this.sourceClient.upload(capture.storeUrl(), capture.token(), new byte[size], null).status())
			.isEqualTo(201);
		assertThat(this.sourceClient.release(capture.token(), true).status()).isEqualTo(200);
		return capture.associationId();
	}

	private void restore(String destination) {
		ComputerClient client = this.server.computer(destination);
		assertThat(client.enroll(this.admin.enrollmentCode(destination)).status()).isEqualTo(201);
		Grant restore = client.request("RESTORE");
		assertThat(client.release(restore.token(), true).status()).isEqualTo(200);
	}

	private static List<String> csvIds(String csv) {
		List<String> ids = new ArrayList<>();
		String[] lines = csv.split("\r\n");
		for (int i = 1; i < lines.length; i++) {
			ids.add(lines[i].substring(0, lines[i].indexOf(',')));
		}
		return ids;
	}

	private record Seeded(String waiting, String captured, String restored, String held, String failed,
			String created) {
	}

}
