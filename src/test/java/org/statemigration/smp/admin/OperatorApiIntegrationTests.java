package org.statemigration.smp.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Operator accounts through the admin API: creation and its rules, changes of roles, state and password, and the
 * rule that the server always keeps an enabled administrator. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class OperatorApiIntegrationTests extends AdminApiTestSupport {

	private static final String ADMINS = "/api/v1/admins";

	@Autowired
	JdbcClient jdbc;

	private static final String PASSWORD = "correct-horse-battery";

	@Test
	void createsAnOperatorAndNeverShowsItsPassword() {
		String username = operatorName("new");
		Response created = this.admin.post(ADMINS,
				Map.of("username", username, "password", PASSWORD, "roles", List.of("OSD_MANAGER", "AUDITOR")));

		assertThat(created.status()).isEqualTo(201);
		JsonNode operator = created.json();
		assertThat(operator.path("username").asString()).isEqualTo(username);
		assertThat(operator.path("roles").values()).extracting(JsonNode::asString)
			.containsExactlyInAnyOrder("OSD_MANAGER", "AUDITOR");
		assertThat(operator.path("enabled").asBoolean()).isTrue();
		assertThat(operator.path("createdAt").asString()).endsWith("Z");
		assertNoPassword(created);

		Response list = this.admin.get(ADMINS);
		assertThat(list.status()).isEqualTo(200);
		assertThat(list.json().values()).extracting((o) -> o.path("username").asString()).contains("admin", username);
		// without sign-in with the OpenID provider, local accounts alone
		assertThat(list.json().values()).extracting((o) -> o.path("source").asString()).containsOnly("LOCAL");
		assertNoPassword(list);

		Response changed = this.admin.patch(ADMINS + "/" + username, Map.of("password", PASSWORD + "-2"));
		assertThat(changed.status()).isEqualTo(200);
		assertNoPassword(changed);
	}

	@Test
	void aProviderOperatorsNameHasNoLocalAccountToChange() {
		// no local account can have the prefix: refused as the provider's, whether or not it signed in
		assertProblem(this.admin.patch(ADMINS + "/oidc:someone", Map.of("enabled", false)), 403, "forbidden");
		assertProblem(this.admin.post(ADMINS + "/oidc:someone/password-reset", null), 403, "forbidden");
		assertThat(this.admin.patch(ADMINS + "/oidc:someone", Map.of("enabled", false)).body())
			.contains("oidc:someone signs in with the OpenID provider");
	}

	@Test
	void createdOperatorSignsInWithItsRoles() {
		OperatorClient manager = this.admin.createOperator(operatorName("manager"), "OSD_MANAGER");
		assertThat(manager.get("/api/v1/associations").status()).isEqualTo(200);
		manager.createAssociation(unique("OPS"), unique("OPS-D"), "CAPTURE_ALL_RESTORE_ALL");
		assertProblem(manager.get(ADMINS), 403, "forbidden");
	}

	@Test
	void operatorCreatedDisabledCannotSignIn() {
		String username = operatorName("dormant");
		Response created = this.admin.post(ADMINS,
				Map.of("username", username, "password", PASSWORD, "roles", List.of("AUDITOR"), "enabled", false));
		assertThat(created.status()).isEqualTo(201);
		assertThat(created.json().path("enabled").asBoolean()).isFalse();
		assertProblem(this.server.operator(username, PASSWORD).get("/api/v1/associations"), 401, "unauthorized");
	}

	static Stream<Arguments> invalidOperators() {
		return Stream.of(
				Arguments.of("password of 11 characters", "{\"username\":\"%s\",\"password\":\"12345678901\",\"roles\":[\"AUDITOR\"]}"),
				Arguments.of("no password", "{\"username\":\"%s\",\"roles\":[\"AUDITOR\"]}"),
				Arguments.of("empty roles", "{\"username\":\"%s\",\"password\":\"" + PASSWORD + "\",\"roles\":[]}"),
				Arguments.of("no roles", "{\"username\":\"%s\",\"password\":\"" + PASSWORD + "\"}"),
				Arguments.of("unknown role",
						"{\"username\":\"%s\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"SUPERUSER\"]}"),
				Arguments.of("username with a space",
						"{\"username\":\"%s x\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"AUDITOR\"]}"),
				Arguments.of("username with a NUL", "{\"username\":\"%s\\u0000\",\"password\":\"" + PASSWORD
						+ "\",\"roles\":[\"AUDITOR\"]}"),
				Arguments.of("username with a newline", "{\"username\":\"%s\\nroot\",\"password\":\"" + PASSWORD
						+ "\",\"roles\":[\"AUDITOR\"]}"),
				Arguments.of("username with a BEL", "{\"username\":\"\\u0007%s\",\"password\":\"" + PASSWORD
						+ "\",\"roles\":[\"AUDITOR\"]}"),
				Arguments.of("enabled as text", "{\"username\":\"%s\",\"password\":\"" + PASSWORD
						+ "\",\"roles\":[\"AUDITOR\"],\"enabled\":\"false\"}"),
				Arguments.of("no username", "{\"password\":\"" + PASSWORD + "\",\"roles\":[\"AUDITOR\"]}"),
				Arguments.of("unknown field", "{\"username\":\"%s\",\"password\":\"" + PASSWORD
						+ "\",\"roles\":[\"AUDITOR\"],\"superuser\":true}"),
				Arguments.of("malformed JSON", "{\"username\":\"%s\","));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidOperators")
	void invalidOperatorIsAValidationProblemAndCreatesNothing(String what, String body) {
		String username = operatorName("invalid");
		assertProblem(this.admin.post(ADMINS, body.replace("%s", username)), 400, "validation");
		assertThat(this.admin.get(ADMINS).json().values()).extracting((o) -> o.path("username").asString())
			.doesNotContain(username, username + " x");
	}

	@Test
	void passwordOfTwelveCharactersIsEnough() {
		String username = operatorName("short");
		assertThat(this.admin.post(ADMINS, Map.of("username", username, "password", "123456789012", "roles",
				List.of("AUDITOR"))).status()).isEqualTo(201);
		assertThat(this.server.operator(username, "123456789012").get("/api/v1/associations").status()).isEqualTo(200);
	}

	@Test
	void duplicateUsernameIsAConflict() {
		String username = operatorName("twice");
		this.admin.createOperator(username, "AUDITOR");
		Response again = this.admin.post(ADMINS,
				Map.of("username", username, "password", PASSWORD + "-other", "roles", List.of("ADMIN")));
		assertProblem(again, 409, "invalid-state");
		assertThat(this.server.operator(username, PASSWORD + "-other").get("/api/v1/associations").status())
			.isEqualTo(401);
	}

	@Test
	void usernamesDifferingOnlyInCaseAreOneAccount() {
		String username = operatorName("case");
		this.admin.createOperator(username, "AUDITOR");
		String upper = username.toUpperCase(Locale.ROOT);
		Response again = this.admin.post(ADMINS,
				Map.of("username", upper, "password", PASSWORD + "-other", "roles", List.of("ADMIN")));
		assertProblem(again, 409, "invalid-state");
		assertThat(this.admin.get(ADMINS).json().values()).extracting((o) -> o.path("username").asString())
			.contains(username)
			.doesNotContain(upper);
		assertThat(this.server.operator(upper, PASSWORD + "-other").get("/api/v1/associations").status())
			.isEqualTo(401);
	}

	@Test
	void theDatabaseRefusesASecondAccountDifferingOnlyInCase() {
		String username = operatorName("db-case");
		this.admin.createOperator(username, "AUDITOR");
		var now = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC);
		assertThatExceptionOfType(org.springframework.dao.DuplicateKeyException.class).isThrownBy(() -> this.jdbc
			.sql("INSERT INTO operator (username, username_key, password_hash, roles, enabled, created_at, updated_at) "
					+ "VALUES (?, ?, 'x', 'AUDITOR', TRUE, ?, ?)")
			.params(username.toUpperCase(Locale.ROOT), username, now, now)
			.update());
	}

	@Test
	void changesRoles() {
		String username = operatorName("promoted");
		OperatorClient operator = this.admin.createOperator(username, "AUDITOR");
		assertThat(operator.post("/api/v1/associations", newAssociation()).status()).isEqualTo(403);

		Response changed = this.admin.patch(ADMINS + "/" + username, Map.of("roles", List.of("OSD_MANAGER")));
		assertThat(changed.status()).isEqualTo(200);
		assertThat(changed.json().path("roles").values()).extracting(JsonNode::asString).containsExactly("OSD_MANAGER");
		assertThat(changed.json().path("enabled").asBoolean()).isTrue();
		assertThat(operator.post("/api/v1/associations", newAssociation()).status()).isEqualTo(201);
	}

	@Test
	void disablesAndEnablesAnOperator() {
		String username = operatorName("toggled");
		OperatorClient operator = this.admin.createOperator(username, "AUDITOR");
		Response disabled = this.admin.patch(ADMINS + "/" + username, Map.of("enabled", false));
		assertThat(disabled.status()).isEqualTo(200);
		assertThat(disabled.json().path("enabled").asBoolean()).isFalse();
		assertThat(disabled.json().path("roles").values()).extracting(JsonNode::asString).containsExactly("AUDITOR");
		assertProblem(operator.get("/api/v1/associations"), 401, "unauthorized");

		assertThat(this.admin.patch(ADMINS + "/" + username, Map.of("enabled", true)).status()).isEqualTo(200);
		assertThat(operator.get("/api/v1/associations").status()).isEqualTo(200);
	}

	/** A password given by an administrator is a reset: it works, but only to choose a new one. */
	@Test
	void changesThePassword() {
		String username = operatorName("rotated");
		OperatorClient old = this.admin.createOperator(username, "AUDITOR");
		assertThat(old.get("/api/v1/associations").status()).isEqualTo(200);

		assertProblem(this.admin.patch(ADMINS + "/" + username, Map.of("password", "too-short")), 400, "validation");
		assertThat(old.get("/api/v1/associations").status()).isEqualTo(200);

		assertThat(this.admin.patch(ADMINS + "/" + username, Map.of("password", "a-brand-new-password")).status())
			.isEqualTo(200);
		assertProblem(old.get("/api/v1/associations"), 401, "unauthorized");
		assertProblem(this.server.operator(username, "a-brand-new-password").get("/api/v1/associations"), 403,
				"password-change-required");
	}

	@Test
	void invalidChangesAreRefused() {
		String username = operatorName("unchanged");
		OperatorClient operator = this.admin.createOperator(username, "AUDITOR");
		String path = ADMINS + "/" + username;
		assertProblem(this.admin.patch(path, Map.of("roles", List.of())), 400, "validation");
		assertProblem(this.admin.patch(path, "{\"roles\":[\"ROOT\"]}"), 400, "validation");
		assertProblem(this.admin.patch(path, "{\"username\":\"renamed\"}"), 400, "validation");
		assertProblem(this.admin.patch(path, "{\"enabled\":"), 400, "validation");
		assertThat(operator.get("/api/v1/associations").status()).isEqualTo(200);
		assertThat(operator.get(ADMINS).status()).isEqualTo(403);
	}

	@Test
	void changeOfAnUnknownOperatorIsNotFound() {
		assertProblem(this.admin.patch(ADMINS + "/" + operatorName("ghost"), Map.of("enabled", false)), 404,
				"not-found");
	}

	@Test
	void anotherAdministratorCanBeDisabledWhileOneRemains() {
		String username = operatorName("second-admin");
		OperatorClient second = this.admin.createOperator(username, "ADMIN");
		assertThat(second.get(ADMINS).status()).isEqualTo(200);
		assertThat(this.admin.patch(ADMINS + "/" + username, Map.of("roles", List.of("AUDITOR"))).status())
			.isEqualTo(200);
		assertThat(second.get(ADMINS).status()).isEqualTo(403);
		assertThat(this.admin.patch(ADMINS + "/" + username, Map.of("roles", List.of("ADMIN"))).status())
			.isEqualTo(200);
		assertThat(this.admin.patch(ADMINS + "/" + username, Map.of("enabled", false)).status()).isEqualTo(200);
		assertProblem(second.get(ADMINS), 401, "unauthorized");
	}

	@Test
	void lastEnabledAdministratorCannotBeDisabledOrLoseAdmin() {
		// other test classes share this server and may have created administrators: step them aside for a moment
		List<String> otherAdmins = new ArrayList<>();
		this.admin.get(ADMINS).json().values().forEach((operator) -> {
			String username = operator.path("username").asString();
			boolean admin = operator.path("roles").values().stream().anyMatch((r) -> r.asString().equals("ADMIN"));
			if (admin && operator.path("enabled").asBoolean() && !username.equals("admin")) {
				otherAdmins.add(username);
			}
		});
		try {
			otherAdmins.forEach((username) -> assertThat(
					this.admin.patch(ADMINS + "/" + username, Map.of("enabled", false)).status()).isEqualTo(200));

			assertProblem(this.admin.patch(ADMINS + "/admin", Map.of("enabled", false)), 409, "invalid-state");
			assertProblem(this.admin.patch(ADMINS + "/admin", Map.of("roles", List.of("AUDITOR"))), 409,
					"invalid-state");
			assertProblem(this.admin.patch(ADMINS + "/admin", Map.of("roles", List.of("OSD_MANAGER"), "enabled", false)),
					409, "invalid-state");

			JsonNode admin = this.admin.get(ADMINS).json().values().stream()
				.filter((o) -> o.path("username").asString().equals("admin"))
				.findFirst()
				.orElseThrow();
			assertThat(admin.path("enabled").asBoolean()).isTrue();
			assertThat(admin.path("roles").values()).extracting(JsonNode::asString).contains("ADMIN");
			assertThat(this.admin.get(ADMINS).status()).isEqualTo(200);
		}
		finally {
			otherAdmins.forEach((username) -> this.admin.patch(ADMINS + "/" + username, Map.of("enabled", true)));
		}
	}

	@Test
	void methodsTheOperatorsResourceDoesNotHaveAreProblems() {
		Response response = this.admin.patch(ADMINS, Map.of("enabled", true));
		assertProblem(response, 405, "validation");
		assertThat(response.header("Allow")).contains("GET", "POST");
	}

	private static Map<String, Object> newAssociation() {
		return Map.of("sourceComputer", unique("OPS"), "destinationComputer", unique("OPS-D"), "userAccounts",
				Map.of("mode", "CAPTURE_ALL_RESTORE_ALL"));
	}

	private static void assertNoPassword(Response response) {
		// the one member that names a password says whether it must be changed, never what it is
		assertThat(response.body().replace("\"passwordChangeRequired\"", "")).doesNotContain(PASSWORD)
			.doesNotContainIgnoringCase("password")
			.doesNotContain("argon");
	}

	private static String operatorName(String what) {
		return unique("op-" + what).toLowerCase(Locale.ROOT);
	}

}
