package org.statemigration.smp.association;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.RawHttps;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/associations/import}: associations by the thousand from a CSV file, checked line by line
 * (a dry run reports every bad line and imports nothing), imported all or nothing, audited. Runs on H2 and on
 * PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class AssociationImportIntegrationTests extends AdminApiTestSupport {

	private static final String IMPORT = "/api/v1/associations/import";

	private static final String HEADER = "sourceComputer,destinationComputer,userAccountMode,userAccounts,notes,"
			+ "sourceSmbiosGuid,sourceMacAddresses,destinationSmbiosGuid,destinationMacAddresses\r\n";

	@Autowired
	JdbcClient jdbc;

	@Test
	void importIsForOsdManagersOnly() {
		String source = unique("IMP-SEC");
		String csv = "sourceComputer,destinationComputer,userAccountMode\n" + source + "," + source
				+ ",CAPTURE_ALL_RESTORE_ALL\n";
		assertProblem(this.server.anonymous().send("POST", IMPORT + "?dryRun=true", "text/csv", body(csv)), 401,
				"unauthorized");
		for (String role : List.of("AUDITOR", "RECOVERY_VIEWER")) {
			OperatorClient wrong = this.admin.createOperator(unique("imp-" + role).toLowerCase(), role);
			assertProblem(wrong.send("POST", IMPORT, "text/csv", body(csv)), 403, "forbidden");
		}
		assertThat(this.admin.get("/api/v1/computers/" + source).status()).isEqualTo(404);
		OperatorClient manager = this.admin.createOperator(unique("imp-osd").toLowerCase(), "OSD_MANAGER");
		Response dryRun = manager.send("POST", IMPORT + "?dryRun=true", "text/csv", body(csv));
		assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
		assertThat(dryRun.json().path("dryRun").asBoolean()).isTrue();
		assertThat(dryRun.json().path("imported").asBoolean()).isFalse();
		assertThat(dryRun.json().path("associations").asInt()).isEqualTo(1);
		assertThat(this.admin.get("/api/v1/computers/" + source).status()).isEqualTo(404);
		Response imported = manager.send("POST", IMPORT, "text/csv; charset=utf-8", body(csv));
		assertThat(imported.status()).as(imported.body()).isEqualTo(201);
		assertThat(this.admin.get("/api/v1/associations?computer=" + source).json().path("items").get(0)
			.path("createdBy").asString()).isEqualTo(manager.username());
	}

	@Test
	void importsFiveThousandLinesWithTheirIdentitiesInOneGo() throws Exception {
		String prefix = unique("BULK");
		StringBuilder csv = new StringBuilder(HEADER);
		for (int i = 0; i < 5000; i++) {
			String mode = (i % 3 == 0) ? "CAPTURE_ALL_RESTORE_ALL" : "CAPTURE_SPECIFIED_RESTORE_SPECIFIED";
			String accounts = (i % 3 == 0) ? "" : "CONTOSO\\user" + i + ";bob";
			csv.append(prefix).append("-S").append(i).append(',')
				.append(prefix).append("-D").append(i % 4000).append(',')
				.append(mode).append(',').append(accounts).append(',')
				.append("\"ticket ").append(i).append(", wave \"\"A\"\"\"").append(',')
				.append(UUID.randomUUID()).append(',')
				.append(String.format("%s-%02X-%02X;%s", MAC_PREFIX, i / 256, i % 256, mac(i + 10_000))).append(',')
				.append(',')
				.append("\r\n");
		}
		byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);

		long checking = System.nanoTime();
		Response dryRun = this.admin.send("POST", IMPORT + "?dryRun=true", "text/csv",
				HttpRequest.BodyPublishers.ofByteArray(bytes));
		long checked = System.nanoTime();
		Response imported = this.admin.send("POST", IMPORT, "text/csv", HttpRequest.BodyPublishers.ofByteArray(bytes));
		long done = System.nanoTime();
		System.out.printf("5000-line import on %s: dry run %d ms, import %d ms%n",
				System.getProperty("smp.test.database", "h2"), (checked - checking) / 1_000_000,
				(done - checked) / 1_000_000);

		assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
		assertThat(dryRun.json().path("errorCount").asInt()).isZero();
		assertThat(dryRun.json().path("associations").asInt()).isEqualTo(5000);
		assertThat(dryRun.json().path("newComputers").asInt()).isEqualTo(9000);
		assertThat(imported.status()).as(imported.body()).isEqualTo(201);
		JsonNode report = imported.json();
		assertThat(report.path("imported").asBoolean()).isTrue();
		assertThat(report.path("lines").asLong()).isEqualTo(5000);
		assertThat(report.path("associations").asInt()).isEqualTo(5000);
		String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		assertThat(report.path("sha256").asString()).isEqualTo(sha256);
		assertThat((done - checked) / 1_000_000).as("milliseconds to import 5000 lines").isLessThan(60_000);

		JsonNode line4243 = this.admin.get("/api/v1/associations?computer=" + prefix + "-S4243").json()
			.path("items").get(0);
		assertThat(line4243.path("destinationComputer").asString()).isEqualTo(prefix + "-D243");
		assertThat(line4243.path("notes").asString()).isEqualTo("ticket 4243, wave \"A\"");
		assertThat(line4243.path("userAccounts").path("accounts").values()).extracting(JsonNode::asString)
			.containsExactly("CONTOSO\\user4243", "bob");
		assertThat(this.admin.get("/api/v1/associations?computer=" + prefix + "-D243").json().path("total").asInt())
			.isEqualTo(2);
		JsonNode source = this.admin.get("/api/v1/computers/" + prefix + "-S4243").json();
		assertThat(source.path("macAddresses").values()).extracting(JsonNode::asString)
			.containsExactly(String.format("%s:10:93", MAC_PREFIX.replace('-', ':')), mac(14243));
		assertThat(source.path("smbiosGuid").isNull()).isFalse();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM computer_association a JOIN computer c ON c.id = "
				+ "a.source_computer_id WHERE c.name LIKE ?").param(prefix + "-S%").query(Long.class).single())
			.isEqualTo(5000);
		String audit = this.admin.get("/api/v1/audit?action=association.import&size=500").body();
		assertThat(audit).contains("lines=5000", "associations=5000", sha256);
		// the same file again: every line is now a duplicate of what it created
		Response again = this.admin.send("POST", IMPORT, "text/csv", HttpRequest.BodyPublishers.ofByteArray(bytes));
		assertProblem(again, 400, "validation");
		// all but the lines in a CAPTURE_ALL mode, which allows several associations for one source
		assertThat(again.json().path("errorCount").asInt()).isEqualTo(3333);
		assertThat(again.json().path("errors").size()).isEqualTo(1000);
	}

	@Test
	void aDryRunReportsEveryBadLineByNumberAndAnImportOfTheFileImportsNothing() {
		String p = unique("BAD");
		String taken = mac(1);
		this.admin.createAssociation(p + "-HAS", p + "-HAS-D", "CAPTURE_SPECIFIED_RESTORE_SPECIFIED", "alice");
		assertThat(this.admin.put("/api/v1/computers/" + p + "-HAS-D/identity", Map.of("macAddresses", List.of(taken)))
			.status()).isEqualTo(200);
		String csv = HEADER
				// line 2: fine
				+ p + "-A," + p + "-A2,CAPTURE_ALL_RESTORE_ALL,,,,,,\r\n"
				// line 3: not a computer name
				+ "not_a_name," + p + "-B2,CAPTURE_ALL_RESTORE_ALL,,,,,,\r\n"
				// line 4: notes over two lines, fine; the next record begins on line 6
				+ p + "-C," + p + "-C2,CAPTURE_ALL_RESTORE_ALL,,\"first line\r\nsecond line\",,,,\r\n"
				// line 6: unknown mode
				+ p + "-D," + p + "-D2,CAPTURE_SOME,,,,,,\r\n"
				// line 7: too few fields
				+ p + "-E," + p + "-E2\r\n"
				// line 8: accounts required
				+ p + "-F," + p + "-F2,CAPTURE_SPECIFIED_RESTORE_SPECIFIED,,,,,,\r\n"
				// line 9: the source of line 2 again, in a mode that allows only one
				+ p + "-A," + p + "-A3,CAPTURE_SPECIFIED_RESTORE_SPECIFIED,bob,,,,,\r\n"
				// line 10: already the source of an association in the database
				+ p + "-HAS," + p + "-G2,CAPTURE_ALL_RESTORE_ALL,,,,,,\r\n"
				// line 11: a MAC address of another computer in the database
				+ p + "-H," + p + "-H2,CAPTURE_ALL_RESTORE_ALL,,,," + taken.replace(':', '-') + ",,\r\n"
				// line 12: a broadcast address
				+ p + "-I," + p + "-I2,CAPTURE_ALL_RESTORE_ALL,,,,FF:FF:FF:FF:FF:FF,,\r\n"
				// line 13: the nil UUID
				+ p + "-J," + p + "-J2,CAPTURE_ALL_RESTORE_ALL,,,00000000-0000-0000-0000-000000000000,,,\r\n"
				// line 14: blank, skipped; line 15: fine
				+ "\r\n"
				+ p + "-K," + p + "-K2,capture_all_restore_all,,,,,,\r\n";

		Response dryRun = this.admin.send("POST", IMPORT + "?dryRun=true", "text/csv", body(csv));

		assertThat(dryRun.status()).as(dryRun.body()).isEqualTo(200);
		JsonNode report = dryRun.json();
		assertThat(report.path("lines").asInt()).isEqualTo(12);
		assertThat(report.path("errorCount").asInt()).isEqualTo(9);
		assertThat(report.path("associations").asInt()).isZero();
		Map<Integer, String> errors = new java.util.TreeMap<>();
		report.path("errors").forEach((e) -> errors.put(e.path("line").asInt(), e.path("message").asString()));
		assertThat(errors).containsOnlyKeys(3, 6, 7, 8, 9, 10, 11, 12, 13);
		assertThat(errors.get(3)).contains("sourceComputer");
		assertThat(errors.get(6)).contains("userAccountMode");
		assertThat(errors.get(7)).contains("2 fields");
		assertThat(errors.get(8)).contains("accounts");
		assertThat(errors.get(9)).contains("line 2");
		assertThat(errors.get(10)).contains("already the source");
		assertThat(errors.get(11)).contains(taken).contains(p + "-HAS-D");
		assertThat(errors.get(12)).contains("broadcast");
		assertThat(errors.get(13)).contains("placeholder");

		Response refused = this.admin.send("POST", IMPORT, "text/csv", body(csv));
		assertProblem(refused, 400, "validation");
		assertThat(refused.json().path("errorCount").asInt()).isEqualTo(9);
		assertThat(refused.json().path("errors").get(0).path("line").asInt()).isEqualTo(3);
		for (String fine : List.of("-A", "-C", "-K")) {
			assertThat(this.admin.get("/api/v1/computers/" + p + fine).status()).as(fine).isEqualTo(404);
		}
		assertThat(this.admin.get("/api/v1/audit?action=association.import&size=500").body())
			.contains("errors=9");
	}

	@Test
	void linesThatContradictEachOtherAreErrors() {
		String p = unique("SELF");
		UUID guid = UUID.randomUUID();
		String csv = "sourceComputer,destinationComputer,userAccountMode,sourceSmbiosGuid,destinationMacAddresses\n"
				+ p + "-A," + p + "-B,CAPTURE_ALL_RESTORE_ALL," + guid + "," + mac(20) + "\n"
				+ p + "-C," + p + "-D,CAPTURE_ALL_RESTORE_ALL," + guid + ",\n"
				+ p + "-A," + p + "-E,CAPTURE_ALL_RESTORE_ALL," + UUID.randomUUID() + ",\n"
				+ p + "-F," + p + "-G,CAPTURE_ALL_RESTORE_ALL,," + mac(20).toLowerCase() + "\n"
				+ p + "-A," + p + "-H,CAPTURE_ALL_RESTORE_ALL,,\n";

		JsonNode report = this.admin.send("POST", IMPORT + "?dryRun=true", "text/csv", body(csv)).json();

		Map<Integer, String> errors = new java.util.TreeMap<>();
		report.path("errors").forEach((e) -> errors.put(e.path("line").asInt(), e.path("message").asString()));
		assertThat(errors).containsOnlyKeys(3, 4, 5);
		assertThat(errors.get(3)).contains("also given to computer " + p + "-A");
		assertThat(errors.get(4)).contains("on line 2");
		assertThat(errors.get(5)).contains("also given to computer " + p + "-B");
	}

	@Test
	void whenTheDatabaseRefusesARowMidWayNothingIsImported() {
		String p = unique("MIDWAY");
		StringBuilder csv = new StringBuilder("sourceComputer,destinationComputer,userAccountMode,notes\n");
		for (int i = 0; i < 3000; i++) {
			csv.append(p).append("-S").append(i).append(',').append(p).append("-D").append(i)
				.append(",CAPTURE_ALL_RESTORE_ALL,")
				.append((i == 2400) ? "refused by the database" : "wave " + i)
				.append('\n');
		}
		String constraint = "ck_test_refuse_" + Long.toString(System.nanoTime(), 36);
		this.jdbc.sql("ALTER TABLE computer_association ADD CONSTRAINT " + constraint
				+ " CHECK (notes IS NULL OR notes <> 'refused by the database')").update();
		Response refused;
		try {
			assertThat(this.admin.send("POST", IMPORT + "?dryRun=true", "text/csv", body(csv.toString())).json()
				.path("errorCount").asInt()).isZero();
			refused = this.admin.send("POST", IMPORT, "text/csv", body(csv.toString()));
		}
		finally {
			this.jdbc.sql("ALTER TABLE computer_association DROP CONSTRAINT " + constraint).update();
		}

		assertProblem(refused, 409, "invalid-state");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM computer WHERE name LIKE ?").param(p + "-%")
			.query(Long.class).single()).isZero();
		assertThat(this.admin.get("/api/v1/audit?action=association.create&size=500").body()).doesNotContain(p);
		assertThat(this.admin.send("POST", IMPORT, "text/csv", body(csv.toString())).status()).isEqualTo(201);
	}

	@Test
	void refusesWhatIsNotACsvFileOfBoundedSize() throws Exception {
		String p = unique("BIG");
		assertProblem(this.admin.send("POST", IMPORT, "application/json", body("{}")), 415,
				"unsupported-media-type");
		StringBuilder lines = new StringBuilder("sourceComputer,destinationComputer,userAccountMode\n");
		for (int i = 0; i <= 50_000; i++) {
			lines.append(p).append(i).append(",X,CAPTURE_ALL_RESTORE_ALL\n");
		}
		assertProblem(this.admin.send("POST", IMPORT + "?dryRun=true", "text/csv", body(lines.toString())), 413,
				"request-too-large");
		String basic = java.util.Base64.getEncoder()
			.encodeToString((this.admin.username() + ":" + this.admin.password()).getBytes(StandardCharsets.UTF_8));
		RawHttps.Answer huge = new RawHttps(this.server).exchange(("POST " + IMPORT + "?dryRun=true HTTP/1.1\r\n"
				+ "Host: localhost\r\nAuthorization: Basic " + basic + "\r\nContent-Type: text/csv\r\n"
				+ "Content-Length: " + (10L * 1024 * 1024 + 1) + "\r\nExpect: 100-continue\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII), 10_000);
		assertThat(huge.status()).as(huge.body()).isEqualTo(413);
		assertThat(huge.body()).contains("urn:smp:problem:request-too-large");
		Response header = this.admin.send("POST", IMPORT + "?dryRun=true", "text/csv",
				body("source,destination\nA,B\n"));
		assertThat(header.status()).isEqualTo(200);
		assertThat(header.json().path("errors").get(0).path("line").asInt()).isEqualTo(1);
		assertThat(header.json().path("errors").get(0).path("message").asString()).contains("unknown column");
		Response unclosed = this.admin.send("POST", IMPORT + "?dryRun=true", "text/csv",
				body("sourceComputer,destinationComputer,userAccountMode\nA,B,CAPTURE_ALL_RESTORE_ALL\n\"C,D\n"));
		assertThat(unclosed.json().path("errors").get(0).path("line").asInt()).isEqualTo(3);
		assertThat(this.admin.send("POST", IMPORT + "?dryRun=true", "text/csv", body("")).json().path("errorCount")
			.asInt()).isEqualTo(1);
	}

	private static HttpRequest.BodyPublisher body(String text) {
		return HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8);
	}

	/** Locally administered unicast addresses of this run: 02-xx-xx-xx-... */
	private static final String MAC_PREFIX = String.format("02-%02X-%02X-%02X", (int) (Math.random() * 256),
			(int) (Math.random() * 256), (int) (Math.random() * 256));

	private static final String OTHER_PREFIX = String.format("06:%02X:%02X", (int) (Math.random() * 256),
			(int) (Math.random() * 256));

	private static String mac(int n) {
		return String.format("%s:%02X:%02X:%02X", OTHER_PREFIX, (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF);
	}

}
