package org.statemigration.smp.console;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the console's forms do, checked through the admin API and the audit log: the console acts through the same
 * services as the API, so the outcome must be the same.
 */
@IntegrationTest
@OnBothDatabases
class ConsolePagesIntegrationTests extends AdminApiTestSupport {

	@Autowired
	JdbcClient jdbc;

	ConsoleClient adminConsole;

	@BeforeEach
	void signIn() {
		this.adminConsole = ConsoleClient.signedIn(this.server, "admin", this.server.adminPassword());
	}

	@Test
	void createsAnAssociationFromTheFormAndShowsItsDetails() {
		String source = unique("FORM-SRC");
		String destination = unique("FORM-DST");

		Page created = this.adminConsole.submit("/console/associations/new", "/console/associations",
				Map.of("sourceComputer", source, "destinationComputer", destination, "mode",
						"CAPTURE_SPECIFIED_RESTORE_SPECIFIED", "accounts", "CONTOSO\\alice\r\nbob", "notes", "desk 4"));

		assertThat(created.status()).isEqualTo(302);
		String id = created.location().substring("/console/associations/".length());
		var association = this.admin.association(id);
		assertThat(association.path("sourceComputer").asString()).isEqualTo(source);
		assertThat(association.path("userAccounts").path("accounts").toString()).contains("CONTOSO\\\\alice", "bob");
		assertThat(association.path("createdBy").asString()).isEqualTo("admin");
		Page detail = this.adminConsole.get(created.location());
		assertThat(detail.status()).isEqualTo(200);
		assertThat(detail.body()).contains("Association created from " + source, source, destination, "CREATED",
				"desk 4", "<dd>Side by side</dd>", "<span>Capture and restore the accounts listed</span>");
		assertThat(detail.body()).doesNotContain("SIDE_BY_SIDE", "CAPTURE_SPECIFIED_RESTORE_SPECIFIED<");
		assertThat(this.adminConsole.get("/console/associations?computer=" + source).body()).contains("Side by side")
			.doesNotContain("SIDE_BY_SIDE");
		assertThat(this.admin.get("/api/v1/audit?action=association.create&actor=admin").body()).contains(id);
	}

	@Test
	void theNewAssociationFormStartsWithTheApisDefaultMode() {
		Page form = this.adminConsole.get("/console/associations/new");
		assertThat(form.body()).containsPattern(
				"<option value=\"CAPTURE_SPECIFIED_RESTORE_SPECIFIED\" selected=\"selected\">");
		assertThat(form.body()).doesNotContainPattern("<option value=\"CAPTURE_ALL_RESTORE_ALL\" selected");
		// the API's default, when a request leaves the mode out
		String id = this.admin.post("/api/v1/associations",
				Map.of("sourceComputer", unique("DEF-SRC"), "destinationComputer", unique("DEF-DST"), "userAccounts",
						Map.of("accounts", java.util.List.of("bob"))))
			.json()
			.path("id")
			.asString();
		assertThat(this.admin.association(id).path("userAccounts").path("mode").asString())
			.isEqualTo("CAPTURE_SPECIFIED_RESTORE_SPECIFIED");
	}

	@Test
	void theDashboardWritesEverySizeInBinaryUnits() {
		String dashboard = this.adminConsole.get("/console").body();
		assertThat(dashboard).containsPattern("Kept free <strong>[0-9]+(\\.[0-9])? (B|KiB|MiB|GiB|TiB)</strong>");
		assertThat(dashboard).doesNotContainPattern("<strong>[0-9]+[KMGT]B</strong>");
	}

	@Test
	void theIconIsServedToAnyoneAndNothingElseOpens() {
		ConsoleClient anonymous = new ConsoleClient(this.server);
		Page icon = anonymous.get("/favicon.ico");
		assertThat(icon.status()).isEqualTo(200);
		assertThat(icon.headers().firstValue("Content-Type")).hasValue("image/x-icon");
		assertThat(anonymous.get("/console/assets/favicon.ico").status()).isEqualTo(200);
		assertThat(this.adminConsole.get("/console").body()).contains("<link rel=\"icon\" href=\"/console/assets/favicon.ico\">");
		// nothing beside it: other paths of its kind still want credentials
		assertThat(anonymous.get("/favicon.png").status()).isIn(401, 403, 404);
		assertThat(anonymous.get("/console").status()).isEqualTo(302);
	}

	@Test
	void invalidAssociationFormIsShownAgainWithTheReason() {
		Page refused = this.adminConsole.submit("/console/associations/new", "/console/associations",
				Map.of("sourceComputer", "not a name", "destinationComputer", "PC-1", "mode", "CAPTURE_ALL_RESTORE_ALL"));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("sourceComputer must be 1-63 letters, digits or hyphens",
				"value=\"not a name\"");
	}

	@Test
	void recoveryViewerSeesTheKeyOnceAfterGivingAReason() {
		String id = this.admin.createAssociation(unique("REC-SRC"), unique("REC-DST"), "CAPTURE_ALL_RESTORE_ALL");
		OperatorClient viewerApi = this.admin.createOperator(operator("viewer"), "RECOVERY_VIEWER");
		ConsoleClient viewer = ConsoleClient.signedIn(this.server, viewerApi.username(), password(viewerApi));
		String key = viewerApi.post("/api/v1/associations/" + id + "/recovery-information",
				Map.of("reason", "ticket 4711 key for comparison")).json().path("encryptionKey").asString();

		Page detail = viewer.get("/console/associations/" + id);
		assertThat(detail.body()).contains("Show recovery information", "Re-associate")
			.doesNotContain("Delete this association", "Place a legal hold");
		Page shown = viewer.submit("/console/associations/" + id, "/console/associations/" + id
				+ "/recovery-information", Map.of("reason", "ticket 4712 destination lost its key"));

		assertThat(shown.status()).isEqualTo(200);
		assertThat(shown.header("Cache-Control")).contains("no-store");
		assertThat(shown.body()).contains(key, "Copy the encryption key", "AES_256");
		assertThat(this.admin.get("/api/v1/audit?action=recovery-information.view&actor=" + viewerApi.username())
			.body()).contains("ticket 4712 destination lost its key").doesNotContain(key);
	}

	@Test
	void recoveryInformationNeedsAReasonOfTenCharacters() {
		String id = this.admin.createAssociation(unique("REC-SRC"), unique("REC-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Page refused = this.adminConsole.submit("/console/associations/" + id,
				"/console/associations/" + id + "/recovery-information", Map.of("reason", "short"));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("reason is required and must be 10-500 characters")
			.doesNotContain("encryption-key");
	}

	@Test
	void osdManagerIsNotOfferedRecoveryInformationAndIsRefusedIt() {
		String id = this.admin.createAssociation(unique("OSD-SRC"), unique("OSD-DST"), "CAPTURE_ALL_RESTORE_ALL");
		OperatorClient managerApi = this.admin.createOperator(operator("osd"), "OSD_MANAGER");
		ConsoleClient manager = ConsoleClient.signedIn(this.server, managerApi.username(), password(managerApi));

		Page detail = manager.get("/console/associations/" + id);
		assertThat(detail.body()).doesNotContain("Show recovery information", "Re-associate")
			.contains("Delete this association");
		assertThat(manager.get("/console").body()).contains("Newest associations")
			.doesNotContain("Latest audit events", ">Settings</a>", ">Operators</a>", ">Audit</a>");
		Page refused = manager.post("/console/associations/" + id + "/recovery-information",
				Map.of("reason", "ticket 4713 I should not see this"));

		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body()).contains("Not allowed").doesNotContain("encryption-key");
		assertThat(this.admin.get("/api/v1/audit?action=access.denied&actor=" + managerApi.username()).body())
			.contains("recovery-information");
		assertThat(this.admin.get("/api/v1/audit?action=recovery-information.view&actor=" + managerApi.username())
			.json().path("total").asLong()).isZero();
	}

	@Test
	void reassignsAnAssociationToAnotherComputer() {
		String id = this.admin.createAssociation(unique("RE-SRC"), unique("RE-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String replacement = unique("RE-NEW");
		Page moved = this.adminConsole.submit("/console/associations/" + id, "/console/associations/" + id + "/reassign",
				Map.of("destinationComputer", replacement, "reason", "ticket 4714 laptop was stolen"));
		assertThat(moved.status()).isEqualTo(302);
		assertThat(this.admin.association(id).path("destinationComputer").asString()).isEqualTo(replacement);
		assertThat(this.adminConsole.get(moved.location()).body()).contains("now restores to " + replacement);
	}

	@Test
	void placesAndLiftsALegalHoldAndAHeldAssociationCannotBeDeleted() {
		String id = this.admin.createAssociation(unique("LH-SRC"), unique("LH-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String detail = "/console/associations/" + id;
		this.adminConsole.submit(detail, detail + "/legal-hold", Map.of("hold", "true", "reason", "case 12"));
		assertThat(this.admin.association(id).path("legalHold").asBoolean()).isTrue();

		Page refused = this.adminConsole.submit(detail + "/delete", detail + "/delete", Map.of());
		assertThat(refused.status()).isEqualTo(409);
		assertThat(refused.body()).contains("legal hold");

		this.adminConsole.submit(detail, detail + "/legal-hold", Map.of("hold", "false", "reason", "case 12 closed"));
		assertThat(this.admin.association(id).path("legalHold").asBoolean()).isFalse();
		Page deleted = this.adminConsole.submit(detail + "/delete", detail + "/delete", Map.of());
		assertThat(deleted.status()).isEqualTo(302);
		assertThat(this.admin.get("/api/v1/associations/" + id).status()).isEqualTo(404);
		assertThat(this.adminConsole.get(detail).status()).isEqualTo(404);
	}

	@Test
	void listsAssociationsBySearchAndState() {
		String source = unique("LIST-SRC");
		this.admin.createAssociation(source, unique("LIST-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Page found = this.adminConsole.get("/console/associations?state=CREATED&computer=" + source);
		assertThat(found.status()).isEqualTo(200);
		assertThat(found.body()).contains("1 association<", source);
		Page none = this.adminConsole.get("/console/associations?state=RESTORED&computer=" + source);
		assertThat(none.body()).contains("0 associations", "No association matches.");
	}

	@Test
	void issuesAnEnrollmentCodeThatIsShownOnceAndEnrollsTheComputer() {
		String name = unique("ENR-PC");
		this.admin.createAssociation(name, unique("ENR-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Page computer = this.adminConsole.get("/console/computers/" + name);
		assertThat(computer.body()).contains("Issue an enrollment code", "has not enrolled yet");

		Page issued = this.adminConsole.submit("/console/computers/" + name,
				"/console/computers/" + name + "/enrollment-codes", Map.of());

		assertThat(issued.status()).isEqualTo(200);
		assertThat(issued.header("Cache-Control")).contains("no-store");
		Matcher code = Pattern.compile("id=\"enrollment-code\">([A-Z2-9-]+)<").matcher(issued.body());
		assertThat(code.find()).isTrue();
		assertThat(issued.body()).contains("Copy the enrollment code", "Expires");
		assertThat(this.server.computer(name).enroll(code.group(1)).status()).isEqualTo(201);
		assertThat(this.admin.get("/api/v1/audit?action=enrollment-code.issue&actor=admin").body()).contains(name)
			.doesNotContain(code.group(1));
	}

	@Test
	void blocksACertificateWithAReason() {
		ComputerClient computer = enrolledComputer("BLK-PC");
		String page = "/console/computers/" + computer.name();
		assertThat(this.adminConsole.get("/console/computers?name=" + computer.name()).body())
			.contains(computer.name());
		assertThat(this.adminConsole.get(page).body()).contains(computer.serial(), "in use");

		Page blocked = this.adminConsole.submit(page, "/console/certificates/" + computer.serial() + "/block",
				Map.of("computer", computer.name(), "reason", "laptop reported stolen"));

		assertThat(blocked.status()).isEqualTo(302);
		assertThat(blocked.location()).isEqualTo(page);
		assertThat(this.adminConsole.get(page).body()).contains("is blocked", "laptop reported stolen");
		assertThat(computer.requestStateStore("CAPTURE").status()).isEqualTo(403);
	}

	@Test
	void changesTheDeletionPolicyAndRefusesImmediateDeletion() {
		Map<String, String> settings = Map.of("deleteAfter", "P2D", "maxStoreSize", "32MB", "uploadExpiry", "PT24H",
				"tokenTtl", "PT4H");
		assertThat(this.adminConsole.get("/console/settings").body()).contains("Do not delete immediately.");
		try {
			Page saved = this.adminConsole.submit("/console/settings", "/console/settings", settings);
			assertThat(saved.status()).isEqualTo(302);
			assertThat(this.admin.get("/api/v1/settings").json().path("deleteAfter").asString()).isEqualTo("PT48H");
			assertThat(this.adminConsole.get("/console/settings").body()).contains("Settings saved.", "P2D (2 days)",
					"name=\"maxStoreSize\" value=\"32MB\"", "Now <span>32.0 MiB</span>");

			Map<String, String> immediate = new java.util.HashMap<>(settings);
			immediate.put("deleteAfter", "PT0S");
			Page refused = this.adminConsole.submit("/console/settings", "/console/settings", immediate);
			assertThat(refused.status()).isEqualTo(400);
			assertThat(refused.body()).contains("deleteAfter below PT1H");
			assertThat(this.admin.get("/api/v1/settings").json().path("deleteAfter").asString()).isEqualTo("PT48H");
			assertThat(this.admin.get("/api/v1/audit?action=settings.update&actor=admin").body())
				.contains("deleteAfter=PT48H");
		}
		finally {
			this.admin.patch("/api/v1/settings", Map.of("deleteAfter", "P1D"));
		}
	}

	@Test
	void createsDisablesAndEnablesAnOperator() {
		String name = operator("new");
		Page created = this.adminConsole.submit("/console/operators", "/console/operators",
				Map.of("username", name, "password", "a-long-password-123", "roles", "AUDITOR", "enabled", "true"));
		assertThat(created.status()).isEqualTo(302);
		assertThat(ConsoleClient.signedIn(this.server, name, "a-long-password-123").get("/console").status())
			.isEqualTo(200);

		this.adminConsole.submit("/console/operators", "/console/operators/" + name, Map.of("roles", "AUDITOR"));
		assertThat(new ConsoleClient(this.server).signIn(name, "a-long-password-123").location())
			.isEqualTo("/login?error");

		this.adminConsole.submit("/console/operators", "/console/operators/" + name,
				Map.of("roles", "OSD_MANAGER", "enabled", "true"));
		assertThat(this.admin.get("/api/v1/admins").body()).contains(name);
		assertThat(ConsoleClient.signedIn(this.server, name, "a-long-password-123").get("/console/associations/new")
			.status()).isEqualTo(200);
	}

	@Test
	void shortPasswordIsRefusedWithTheReason() {
		Page refused = this.adminConsole.submit("/console/operators", "/console/operators",
				Map.of("username", operator("short"), "password", "short", "roles", "AUDITOR"));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.body()).contains("password must be 12 to 200 characters");
	}

	@Test
	void auditPageFiltersByActionAndVerifiesTheChain() {
		String source = unique("AUD-SRC");
		this.admin.createAssociation(source, unique("AUD-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Page filtered = this.adminConsole.get("/console/audit?action=association.create&actor=admin");
		assertThat(filtered.status()).isEqualTo(200);
		assertThat(filtered.body()).contains("source=" + source).doesNotContain("<td>sign-in</td>");
		Page verified = this.adminConsole.get("/console/audit/verify");
		assertThat(verified.body()).contains("The chain is intact");
		Page invalid = this.adminConsole.get("/console/audit?from=yesterday");
		assertThat(invalid.status()).isEqualTo(400);
		assertThat(invalid.body()).contains("From must be a date and time");
	}

	@Test
	void auditVerificationNamesTheFirstEditedRecord() {
		String id = this.admin.createAssociation(unique("TAMPER-SRC"), unique("TAMPER-DST"), "CAPTURE_ALL_RESTORE_ALL");
		var newest = this.admin.get("/api/v1/audit?action=association.create&actor=admin").json().path("items").get(0);
		assertThat(newest.path("target").asString()).isEqualTo(id);
		long seq = newest.path("seq").asLong();
		String detail = this.jdbc.sql("SELECT detail FROM audit_event WHERE seq = ?").param(seq).query(String.class)
			.single();
		try {
			this.jdbc.sql("UPDATE audit_event SET detail = ? WHERE seq = ?").params("nothing to see", seq).update();
			assertThat(this.adminConsole.get("/console/audit/verify").body())
				.contains("The chain is broken: the first bad record is number " + seq + " ");
		}
		finally {
			this.jdbc.sql("UPDATE audit_event SET detail = ? WHERE seq = ?").params(detail, seq).update();
		}
		assertThat(this.adminConsole.get("/console/audit/verify").body()).contains("The chain is intact");
	}

	static String operator(String role) {
		return unique("con-" + role).toLowerCase(Locale.ROOT);
	}

	/** The password {@link OperatorClient#createOperator} gives. */
	static String password(OperatorClient operator) {
		return "pw-" + operator.username() + "-0123456789";
	}

}
