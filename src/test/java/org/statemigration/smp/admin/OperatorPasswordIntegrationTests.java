package org.statemigration.smp.admin;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.console.ConsoleClient;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Passwords of operators: every operator changes their own with the current one ({@code POST /api/v1/me/password});
 * an administrator resets another's ({@code POST /api/v1/admins/{username}/password-reset}, or {@code PATCH} with a
 * password) to a temporary one that must be changed before anything else. Every change is audited without the
 * password. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class OperatorPasswordIntegrationTests extends AdminApiTestSupport {

	private static final String NEW_PASSWORD = "an-entirely-new-password";

	@Test
	void everyRoleChangesItsOwnPasswordWithTheCurrentOne() {
		for (Role role : Role.values()) {
			OperatorClient operator = this.admin.createOperator(name(role.name()), role.name());
			Response changed = operator.post("/api/v1/me/password",
					Map.of("currentPassword", operator.password(), "newPassword", NEW_PASSWORD));
			assertThat(changed.status()).as("%s: %s", role, changed.body()).isEqualTo(204);
			assertThat(operator.get("/api/v1/associations").status()).as("old password of %s", role).isEqualTo(401);
			assertThat(this.server.operator(operator.username(), NEW_PASSWORD).get("/api/v1/associations").status())
				.isEqualTo(200);
			String audit = this.admin.get("/api/v1/audit?action=operator.password-change&actor=" + operator.username())
				.body();
			assertThat(audit).contains("\"outcome\":\"SUCCESS\"").doesNotContain(NEW_PASSWORD, operator.password());
		}
	}

	@Test
	void anonymousCallersCannotChangeOrResetPasswords() {
		OperatorClient anonymous = this.server.anonymous();
		Response change = anonymous.post("/api/v1/me/password",
				Map.of("currentPassword", "whatever-it-was", "newPassword", NEW_PASSWORD));
		assertProblem(change, 401, "unauthorized");
		OperatorClient target = this.admin.createOperator(name("target"), "AUDITOR");
		assertProblem(anonymous.post("/api/v1/admins/" + target.username() + "/password-reset", null), 401,
				"unauthorized");
		assertThat(target.get("/api/v1/associations").status()).isEqualTo(200);
	}

	@Test
	void theSelfServiceChangeActsOnTheCallerOnly() {
		OperatorClient caller = this.admin.createOperator(name("caller"), "OSD_MANAGER");
		OperatorClient other = this.admin.createOperator(name("other"), "AUDITOR");
		// there is no name to give: a username in the body is a field the API does not know
		assertProblem(caller.post("/api/v1/me/password", Map.of("username", other.username(), "currentPassword",
				caller.password(), "newPassword", NEW_PASSWORD)), 400, "validation");
		// the other's current password does not change the caller's, nor the other's
		assertProblem(caller.post("/api/v1/me/password",
				Map.of("currentPassword", other.password(), "newPassword", NEW_PASSWORD)), 400, "validation");
		assertThat(other.get("/api/v1/associations").status()).isEqualTo(200);
		assertThat(caller.get("/api/v1/associations").status()).isEqualTo(200);
		// nor may anyone but an ADMIN reset it
		for (String role : List.of("OSD_MANAGER", "RECOVERY_VIEWER", "AUDITOR")) {
			OperatorClient refused = this.admin.createOperator(name(role), role);
			assertProblem(refused.post("/api/v1/admins/" + other.username() + "/password-reset",
					Map.of("temporaryPassword", "a-temporary-password")), 403, "forbidden");
			assertProblem(refused.patch("/api/v1/admins/" + other.username(),
					Map.of("password", "a-temporary-password")), 403, "forbidden");
		}
		assertThat(other.get("/api/v1/associations").status()).isEqualTo(200);
	}

	@Test
	void newPasswordsFollowTheRules() {
		OperatorClient operator = this.admin.createOperator(name("rules"), "AUDITOR");
		for (String refused : List.of("short-pw", "x".repeat(201), operator.password(),
				operator.username().toUpperCase(Locale.ROOT))) {
			assertProblem(operator.post("/api/v1/me/password",
					Map.of("currentPassword", operator.password(), "newPassword", refused)), 400, "validation");
		}
		assertProblem(operator.post("/api/v1/me/password", Map.of("newPassword", NEW_PASSWORD)), 400, "validation");
		assertThat(operator.get("/api/v1/associations").status()).isEqualTo(200);
	}

	@Test
	void aWrongCurrentPasswordIsRefusedAuditedAndCountsTowardsTheLockout() {
		OperatorClient operator = this.admin.createOperator(name("wrong"), "AUDITOR");
		Response refused = operator.post("/api/v1/me/password",
				Map.of("currentPassword", "not-my-password-at-all", "newPassword", NEW_PASSWORD));
		assertProblem(refused, 400, "validation");
		assertThat(refused.body()).doesNotContain("not-my-password-at-all");
		String audit = this.admin.get("/api/v1/audit?action=operator.password-change&actor=" + operator.username())
			.body();
		assertThat(audit).contains("\"outcome\":\"DENIED\"").doesNotContain("not-my-password-at-all");
		// in a console session no sign-in clears the count between the attempts: five wrong ones lock the name
		ConsoleClient console = ConsoleClient.signedIn(this.server, operator.username(),
				operator.password());
		for (int i = 0; i < 5; i++) {
			assertThat(console.submit("/console/password", "/console/password", Map.of("currentPassword",
					"not-my-password-at-all", "newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD)).status()).isEqualTo(400);
		}
		assertThat(operator.get("/api/v1/associations").status()).isEqualTo(401);
		assertThat(this.admin.get("/api/v1/audit?action=sign-in.lockout").body())
			.contains(operator.username().toLowerCase(Locale.ROOT));
	}

	@Test
	void aResetPasswordMustBeChangedBeforeAnythingElse() {
		OperatorClient operator = this.admin.createOperator(name("reset"), "OSD_MANAGER");
		Response reset = this.admin.post("/api/v1/admins/" + operator.username() + "/password-reset", null);
		assertThat(reset.status()).as(reset.body()).isEqualTo(200);
		assertThat(reset.header("Cache-Control")).contains("no-store");
		assertThat(reset.json().path("username").asString()).isEqualTo(operator.username());
		String temporary = reset.json().path("temporaryPassword").asString();
		assertThat(temporary).hasSize(20);
		assertThat(operator.get("/api/v1/associations").status()).isEqualTo(401);

		OperatorClient withTemporary = this.server.operator(operator.username(), temporary);
		for (String path : List.of("/api/v1/associations", "/api/v1/computers", "/api/v1/typo")) {
			Response refused = withTemporary.get(path);
			assertProblem(refused, 403, "password-change-required");
			assertThat(refused.json().path("detail").asString()).contains("POST /api/v1/me/password");
		}
		assertProblem(withTemporary.post("/api/v1/associations", Map.of()), 403, "password-change-required");
		assertThat(operatorJson(operator.username()).path("passwordChangeRequired").asBoolean()).isTrue();

		assertThat(withTemporary.post("/api/v1/me/password",
				Map.of("currentPassword", temporary, "newPassword", NEW_PASSWORD)).status()).isEqualTo(204);
		OperatorClient changed = this.server.operator(operator.username(), NEW_PASSWORD);
		assertThat(changed.get("/api/v1/associations").status()).isEqualTo(200);
		assertThat(operatorJson(operator.username()).path("passwordChangeRequired").asBoolean()).isFalse();
		String audit = this.admin.get("/api/v1/audit?action=operator.password-reset").body();
		assertThat(audit).contains(operator.username(), "temporaryPassword=generated").doesNotContain(temporary);
	}

	@Test
	void anAdministratorGivesATemporaryPasswordByResetOrPatch() {
		OperatorClient byReset = this.admin.createOperator(name("given"), "AUDITOR");
		Response reset = this.admin.post("/api/v1/admins/" + byReset.username() + "/password-reset",
				Map.of("temporaryPassword", "a-given-temporary-pw"));
		assertThat(reset.json().path("temporaryPassword").asString()).isEqualTo("a-given-temporary-pw");
		assertProblem(this.server.operator(byReset.username(), "a-given-temporary-pw").get("/api/v1/associations"),
				403, "password-change-required");
		assertProblem(this.admin.post("/api/v1/admins/" + byReset.username() + "/password-reset",
				Map.of("temporaryPassword", "short")), 400, "validation");

		OperatorClient byPatch = this.admin.createOperator(name("patched"), "AUDITOR");
		assertThat(this.admin.patch("/api/v1/admins/" + byPatch.username(), Map.of("password", "a-patched-password"))
			.json()
			.path("passwordChangeRequired")
			.asBoolean()).isTrue();
		assertProblem(this.server.operator(byPatch.username(), "a-patched-password").get("/api/v1/associations"), 403,
				"password-change-required");
	}

	@Test
	void anAdministratorChangesTheirOwnPasswordWithTheCurrentOneOnly() {
		OperatorClient other = this.admin.createOperator(name("admin2"), "ADMIN");
		assertProblem(other.post("/api/v1/admins/" + other.username() + "/password-reset", null), 400,
				"validation");
		assertProblem(other.patch("/api/v1/admins/" + other.username(), Map.of("password", NEW_PASSWORD)), 400,
				"validation");
		assertProblem(other.post("/api/v1/admins/nobody-" + this.port + "/password-reset", null), 404, "not-found");
		assertThat(other.get("/api/v1/admins").status()).isEqualTo(200);
	}

	@Test
	void aChangeOrResetEndsTheOperatorsConsoleSessions() {
		OperatorClient operator = this.admin.createOperator(name("sessions"), "AUDITOR");
		ConsoleClient first = ConsoleClient.signedIn(this.server, operator.username(), operator.password());
		ConsoleClient second = ConsoleClient.signedIn(this.server, operator.username(),
				operator.password());
		assertThat(first.get("/console").status()).isEqualTo(200);
		assertThat(operator.post("/api/v1/me/password",
				Map.of("currentPassword", operator.password(), "newPassword", NEW_PASSWORD)).status()).isEqualTo(204);
		assertThat(first.get("/console").status()).isEqualTo(302);
		assertThat(second.get("/console").status()).isEqualTo(302);

		ConsoleClient third = ConsoleClient.signedIn(this.server, operator.username(), NEW_PASSWORD);
		assertThat(this.admin.post("/api/v1/admins/" + operator.username() + "/password-reset", null).status())
			.isEqualTo(200);
		assertThat(third.get("/console").status()).isEqualTo(302);
	}

	@Test
	void theConsoleResetsAPasswordAndForcesItsChange() {
		OperatorClient operator = this.admin.createOperator(name("console"), "OSD_MANAGER");
		ConsoleClient adminConsole = ConsoleClient.signedIn(this.server, "admin", this.server.adminPassword());
		ConsoleClient.Page shown = adminConsole.submit("/console/operators",
				"/console/operators/" + operator.username() + "/password-reset", Map.of());
		assertThat(shown.status()).isEqualTo(200);
		assertThat(shown.headers().firstValue("Cache-Control")).hasValueSatisfying((v) -> assertThat(v).contains("no-store"));
		java.util.regex.Matcher code = java.util.regex.Pattern.compile("id=\"temporary-password\">([^<]+)<")
			.matcher(shown.body());
		assertThat(code.find()).as(shown.body()).isTrue();
		String temporary = code.group(1);

		ConsoleClient console = ConsoleClient.signedIn(this.server, operator.username(), temporary);
		for (String page : List.of("/console", "/console/associations", "/console/typo")) {
			ConsoleClient.Page sent = console.get(page);
			assertThat(sent.status()).as(page).isEqualTo(302);
			assertThat(sent.headers().firstValue("Location").orElseThrow()).endsWith("/console/password");
		}
		ConsoleClient.Page form = console.get("/console/password");
		assertThat(form.status()).isEqualTo(200);
		assertThat(form.body()).contains("An administrator reset your password", "<label for=\"current-password\">");
		assertThat(console.submit("/console/password", "/console/password", Map.of("currentPassword", temporary,
				"newPassword", NEW_PASSWORD, "repeatPassword", "something-else-entirely")).status()).isEqualTo(400);
		ConsoleClient.Page changed = console.submit("/console/password", "/console/password",
				Map.of("currentPassword", temporary, "newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD));
		assertThat(changed.status()).isEqualTo(302);
		assertThat(changed.headers().firstValue("Location").orElseThrow()).contains("/login?passwordChanged");
		assertThat(console.get("/console").status()).isEqualTo(302);
		assertThat(ConsoleClient.signedIn(this.server, operator.username(), NEW_PASSWORD).get("/console").status())
			.isEqualTo(200);
	}

	private tools.jackson.databind.JsonNode operatorJson(String username) {
		for (tools.jackson.databind.JsonNode operator : this.admin.get("/api/v1/admins").json()) {
			if (operator.path("username").asString().equals(username)) {
				return operator;
			}
		}
		throw new AssertionError("No operator " + username);
	}

	private static String name(String what) {
		return unique("pw-" + what).toLowerCase(Locale.ROOT);
	}

}
