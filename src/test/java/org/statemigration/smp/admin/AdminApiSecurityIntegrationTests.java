package org.statemigration.smp.admin;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what on the admin API, its OpenAPI document and the actuator, for local operators with HTTP Basic:
 * the role matrix of the contract ({@link AdminApiRoleMatrix}) with one operator of each single role. Without valid
 * credentials (none, a wrong password, an unknown or a disabled operator) every protected endpoint answers 401 with
 * a Basic challenge; with a role that is not allowed, 403. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class AdminApiSecurityIntegrationTests extends AdminApiRoleMatrix {

	private OperatorClient disabledAdmin;

	@Override
	OperatorClient caller(Caller caller) {
		return this.admin.createOperator(operatorName(caller.name()), caller.name());
	}

	@BeforeAll
	void createADisabledAdministrator() {
		String disabled = operatorName("disabled");
		this.disabledAdmin = this.admin.createOperator(disabled, "ADMIN");
		assertThat(this.admin.patch("/api/v1/admins/" + disabled, Map.of("enabled", false)).status()).isEqualTo(200);
	}

	static Stream<Endpoint> protectedEndpoints() {
		return MATRIX.keySet().stream().filter((endpoint) -> endpoint != HEALTH);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("protectedEndpoints")
	void wrongPasswordIsUnauthorized(Endpoint endpoint) {
		OperatorClient impostor = this.server.operator(operatorName(Caller.ADMIN.name()), "not-the-password-at-all");
		assertUnauthorized(call(impostor, endpoint));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("protectedEndpoints")
	void unknownOperatorIsUnauthorized(Endpoint endpoint) {
		assertUnauthorized(call(this.server.operator("nobody-" + this.port, "a-long-enough-password"), endpoint));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("protectedEndpoints")
	void disabledOperatorIsUnauthorized(Endpoint endpoint) {
		assertUnauthorized(call(this.disabledAdmin, endpoint));
	}

	@Test
	void refusedDeleteLeavesTheAssociation() {
		String id = newAssociation();
		assertThat(this.callers.get(Caller.AUDITOR).delete("/api/v1/associations/" + id).status()).isEqualTo(403);
		assertThat(this.server.anonymous().delete("/api/v1/associations/" + id).status()).isEqualTo(401);
		assertThat(this.admin.get("/api/v1/associations/" + id).status()).isEqualTo(200);
	}

	@Test
	void refusedOperatorCreationCreatesNoOperator() {
		String username = operatorName("sneaky");
		Response response = this.callers.get(Caller.OSD_MANAGER)
			.post("/api/v1/admins",
					Map.of("username", username, "password", "a-long-enough-password", "roles", List.of("ADMIN")));
		assertThat(response.status()).isEqualTo(403);
		assertThat(this.admin.get("/api/v1/admins").body()).doesNotContain(username);
	}

	/**
	 * A path that no endpoint answers is not found for every signed-in operator, ADMIN included, with any method;
	 * without credentials it is 401 as everything else. A typo is no attempt on anything: nothing is audited.
	 */
	@Test
	void unknownPathsAreNotFoundForOperatorsAndNotAudited() {
		List<String> typos = List.of("/api/v1/asociations", "/api/v1/admin", "/api/v1/associations/x/typo",
				"/api/v2/associations", "/api/v1/settings/nothing");
		for (String typo : typos) {
			for (Caller caller : Caller.values()) {
				for (String method : List.of("GET", "POST", "DELETE")) {
					Response response = this.callers.get(caller).send(method, typo, null, "application/json");
					if (caller == Caller.ANONYMOUS) {
						assertUnauthorized(response);
					}
					else {
						assertProblem(response, 404, "not-found");
					}
				}
			}
			assertThat(this.admin.get("/api/v1/audit?action=access.denied&size=500").body())
				.as("refusals recorded for %s", typo)
				.doesNotContain(typo + "\"");
		}
	}

	/** A real endpoint, refused to a role, stays 403 and audited; so does a real path with another method. */
	@Test
	void realEndpointsRefusedToARoleAreStillAudited() {
		OperatorClient auditor = this.callers.get(Caller.AUDITOR);
		assertProblem(auditor.get("/api/v1/admins"), 403, "forbidden");
		assertProblem(auditor.send("PUT", "/api/v1/settings", Map.of(), "application/json"), 403, "forbidden");
		String denied = this.admin.get("/api/v1/audit?action=access.denied&actor=" + auditor.username() + "&size=500")
			.body();
		assertThat(denied).contains("GET /api/v1/admins", "PUT /api/v1/settings");
	}

	@Test
	void healthShowsTheStatusOnly() {
		Response response = this.server.anonymous().get("/actuator/health");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("status").asString()).isEqualTo("UP");
		assertThat(response.json().has("components")).isFalse();
		assertThat(response.json().has("details")).isFalse();
	}

	@Test
	void actuatorEndpointsThatAreNotExposedAreRefusedEvenToAnAdmin() {
		for (OperatorClient client : List.of(this.admin, this.server.anonymous())) {
			Response response = client.get("/actuator/env");
			assertThat(response.status()).isIn(401, 403, 404);
			assertThat(response.body()).doesNotContain("propertySources");
		}
	}

}
