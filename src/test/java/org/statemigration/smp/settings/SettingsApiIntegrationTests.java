package org.statemigration.smp.settings;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runtime settings through the API: who may read and change them, what is refused, that a change is kept and
 * recorded, and that restore-only mode refuses captures while restores go on.
 */
@IntegrationTest
@OnBothDatabases
class SettingsApiIntegrationTests extends AdminApiTestSupport {

	@Autowired
	JdbcClient jdbc;

	@AfterEach
	void restoreDefaults() {
		this.admin.patch("/api/v1/settings", Map.of("deleteAfter", "P1D", "restoreOnlyMode", false, "tokenTtl", "PT4H",
				"uploadExpiry", "PT24H", "maxStoreSizeBytes", 32L * 1024 * 1024));
	}

	@Test
	void everyRoleReadsTheSettingsAndOnlyAnAdminChangesThem() {
		assertProblem(this.server.anonymous().get("/api/v1/settings"), 401, "unauthorized");
		for (String role : List.of("OSD_MANAGER", "RECOVERY_VIEWER", "AUDITOR")) {
			OperatorClient operator = this.admin.createOperator(unique(role.toLowerCase().replace('_', '-')), role);
			assertThat(operator.get("/api/v1/settings").status()).isEqualTo(200);
			assertProblem(operator.patch("/api/v1/settings", Map.of("deleteAfter", "P2D")), 403, "forbidden");
		}
		assertProblem(this.server.anonymous().patch("/api/v1/settings", Map.of("deleteAfter", "P2D")), 401,
				"unauthorized");
		assertThat(this.admin.get("/api/v1/settings").json().path("deleteAfter").asString()).isEqualTo("PT24H");
	}

	@Test
	void showsTheConfiguredDefaults() {
		Response settings = this.admin.get("/api/v1/settings");
		assertThat(settings.status()).isEqualTo(200);
		assertThat(settings.json().path("deleteAfter").asString()).isEqualTo("PT24H");
		assertThat(settings.json().path("restoreOnlyMode").asBoolean()).isFalse();
		assertThat(settings.json().path("maxStoreSizeBytes").asLong()).isEqualTo(32L * 1024 * 1024);
		assertThat(settings.json().path("uploadExpiry").asString()).isEqualTo("PT24H");
		assertThat(settings.json().path("tokenTtl").asString()).isEqualTo("PT4H");
	}

	@Test
	void changesAreKeptAndRecordedWithWhoAndWhen() {
		OperatorClient other = this.admin.createOperator(unique("settings-admin"), "ADMIN");
		Response changed = other.patch("/api/v1/settings", Map.of("deleteAfter", "P3D", "tokenTtl", "PT2H"));
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.json().path("deleteAfter").asString()).isEqualTo("PT72H");
		assertThat(this.admin.get("/api/v1/settings").json().path("tokenTtl").asString()).isEqualTo("PT2H");
		Map<String, Object> change = this.jdbc
			.sql("SELECT name, old_value, new_value, changed_by, changed_at FROM setting_change WHERE name = 'deleteAfter' "
					+ "ORDER BY id DESC FETCH FIRST 1 ROWS ONLY")
			.query()
			.singleRow();
		assertThat(change.get("new_value")).isEqualTo("PT72H");
		assertThat(change.get("changed_by")).isEqualTo(other.username());
		assertThat(change.get("changed_at")).isNotNull();
	}

	@Test
	void tokensLiveAsLongAsTheTokenTtlSays() {
		this.admin.patch("/api/v1/settings", Map.of("tokenTtl", "PT10M"));
		Captured captured = captured(new byte[10]);
		ComputerClient.Grant restore = captured.destination().request("RESTORE");
		java.time.Instant expiresAt = java.time.Instant.parse(restore.json().path("expiresAt").asString());
		assertThat(expiresAt).isBefore(java.time.Instant.now().plusSeconds(11 * 60));
	}

	@Test
	void refusesImmediateDeletionUnlessConfigured() {
		assertProblem(this.admin.patch("/api/v1/settings", Map.of("deleteAfter", "PT0S")), 400, "unsafe-setting");
		assertThat(this.admin.get("/api/v1/settings").json().path("deleteAfter").asString()).isEqualTo("PT24H");
	}

	@Test
	void refusesInvalidValues() {
		assertProblem(this.admin.patch("/api/v1/settings", Map.of("deleteAfter", "-PT1H")), 400, "validation");
		assertProblem(this.admin.patch("/api/v1/settings", Map.of("deleteAfter", "tomorrow")), 400, "validation");
		assertProblem(this.admin.patch("/api/v1/settings", Map.of("tokenTtl", "PT0S")), 400, "validation");
		assertProblem(this.admin.patch("/api/v1/settings", Map.of("maxStoreSizeBytes", 0)), 400, "validation");
		assertProblem(this.admin.patch("/api/v1/settings", Map.of("keepForever", true)), 400, "validation");
	}

	@Test
	void refusesADeleteAfterBelowOneHourUnlessConfigured() {
		for (String tooShort : List.of("PT1S", "PT59M59S")) {
			assertProblem(this.admin.patch("/api/v1/settings", Map.of("deleteAfter", tooShort)), 400, "unsafe-setting");
		}
		assertThat(this.admin.get("/api/v1/settings").json().path("deleteAfter").asString()).isEqualTo("PT24H");
		assertThat(this.admin.patch("/api/v1/settings", Map.of("deleteAfter", "PT1H")).status()).isEqualTo(200);
	}

	@Test
	void refusesValuesOutsideTheirBoundsAndKeepsServing() {
		String huge = "PT2562047788015215H";
		for (Map<String, Object> change : List.<Map<String, Object>>of(Map.of("tokenTtl", huge),
				Map.of("tokenTtl", "P2D"), Map.of("uploadExpiry", huge), Map.of("uploadExpiry", "PT59S"),
				Map.of("uploadExpiry", "P31D"), Map.of("deleteAfter", huge), Map.of("deleteAfter", "P3651D"),
				Map.of("maxStoreSizeBytes", Long.MAX_VALUE), Map.of("maxStoreSizeBytes", 16L * 1024 * 1024 * 1024 * 1024 + 1),
				Map.of("maxStoreSizeBytes", -1))) {
			assertProblem(this.admin.patch("/api/v1/settings", change), 400, "validation");
		}
		var settings = this.admin.get("/api/v1/settings").json();
		assertThat(settings.path("tokenTtl").asString()).isEqualTo("PT4H");
		assertThat(settings.path("uploadExpiry").asString()).isEqualTo("PT24H");
		assertThat(settings.path("deleteAfter").asString()).isEqualTo("PT24H");
		assertThat(settings.path("maxStoreSizeBytes").asLong()).isEqualTo(32L * 1024 * 1024);
		// what a huge token lifetime used to break
		Captured captured = captured(new byte[10]);
		assertThat(captured.destination().requestStateStore("RESTORE").status()).isEqualTo(200);
	}

	@Test
	void acceptsTheBoundsThemselves() {
		Map<String, Object> upper = Map.of("tokenTtl", "P1D", "uploadExpiry", "P30D", "deleteAfter", "P3650D",
				"maxStoreSizeBytes", 16L * 1024 * 1024 * 1024 * 1024);
		assertThat(this.admin.patch("/api/v1/settings", upper).status()).isEqualTo(200);
		Map<String, Object> lower = Map.of("tokenTtl", "PT1S", "uploadExpiry", "PT1M", "deleteAfter", "PT1H",
				"maxStoreSizeBytes", 1);
		assertThat(this.admin.patch("/api/v1/settings", lower).status()).isEqualTo(200);
	}

	@Test
	void refusesScalarsOfTheWrongJsonType() {
		for (String body : List.of("{\"maxStoreSizeBytes\":1.5}", "{\"maxStoreSizeBytes\":1000.0}",
				"{\"maxStoreSizeBytes\":\"1000\"}", "{\"maxStoreSizeBytes\":\"\"}", "{\"restoreOnlyMode\":\"true\"}",
				"{\"restoreOnlyMode\":1}", "{\"restoreOnlyMode\":0}", "{\"deleteAfter\":true}")) {
			assertProblem(this.admin.patch("/api/v1/settings", body), 400, "validation");
		}
		var settings = this.admin.get("/api/v1/settings").json();
		assertThat(settings.path("maxStoreSizeBytes").asLong()).isEqualTo(32L * 1024 * 1024);
		assertThat(settings.path("restoreOnlyMode").asBoolean()).isFalse();
	}

	@Test
	void restoreOnlyModeRefusesCapturesAndServesRestores() {
		Captured captured = captured(new byte[1000]);
		ComputerClient newSource = enrolledComputer("RO-SRC");
		assertThat(this.admin.patch("/api/v1/settings", Map.of("restoreOnlyMode", true)).status()).isEqualTo(200);

		assertProblem(newSource.requestStateStore("CAPTURE"), 503, "restore-only-mode");
		ComputerClient.Grant restore = captured.destination().request("RESTORE");
		assertThat(captured.destination().download(restore.storeUrl(), restore.token(), null).body()).hasSize(1000);

		this.admin.patch("/api/v1/settings", Map.of("restoreOnlyMode", false));
		assertThat(newSource.requestStateStore("CAPTURE").status()).isEqualTo(200);
	}

	@Test
	void quotaChangeAppliesToTheNextUpload() {
		this.admin.patch("/api/v1/settings", Map.of("maxStoreSizeBytes", 1000));
		ComputerClient source = enrolledComputer("QUOTA-SRC");
		this.admin.createAssociation(source.name(), unique("QUOTA-DST"), "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient.Grant capture = source.request("CAPTURE");
		assertProblem(source.upload(capture.storeUrl(), capture.token(), new byte[1001], null), 413, "quota-exceeded");
		assertThat(source.upload(capture.storeUrl(), capture.token(), new byte[1000], null).status()).isEqualTo(201);
	}

}
