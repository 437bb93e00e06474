package org.statemigration.smp.association;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code PUT /api/v1/associations/{id}/legal-hold}: only an ADMIN places or lifts a hold, always with a reason,
 * and the association shows it. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class LegalHoldApiIntegrationTests extends AdminApiTestSupport {

	@Test
	void adminPlacesAndLiftsALegalHold() {
		String id = newAssociation();
		Response placed = this.admin.put(path(id), Map.of("hold", true, "reason", "Litigation hold, case 2024-17"));
		assertThat(placed.status()).as(placed.body()).isEqualTo(200);
		assertThat(placed.json().path("id").asString()).isEqualTo(id);
		assertThat(placed.json().path("legalHold").asBoolean()).isTrue();
		assertThat(this.admin.association(id).path("legalHold").asBoolean()).isTrue();

		Response lifted = this.admin.put(path(id), Map.of("hold", false, "reason", "Case closed"));
		assertThat(lifted.status()).isEqualTo(200);
		assertThat(lifted.json().path("legalHold").asBoolean()).isFalse();
		assertThat(this.admin.association(id).path("legalHold").asBoolean()).isFalse();
	}

	@Test
	void associationUnderHoldCannotBeDeletedEvenWithForce() {
		String id = newAssociation();
		this.admin.put(path(id), Map.of("hold", true, "reason", "Litigation hold, case 2024-18"));
		assertProblem(this.admin.delete("/api/v1/associations/" + id + "?force=true"), 409, "invalid-state");
		this.admin.put(path(id), Map.of("hold", false, "reason", "Case closed"));
		assertThat(this.admin.delete("/api/v1/associations/" + id).status()).isEqualTo(204);
	}

	@Test
	void anonymousCallerIsUnauthorized() {
		String id = newAssociation();
		Response response = this.server.anonymous().put(path(id), Map.of("hold", true, "reason", "anonymous"));
		assertProblem(response, 401, "unauthorized");
		assertThat(this.admin.association(id).path("legalHold").asBoolean()).isFalse();
	}

	@Test
	void everyRoleButAdminIsForbidden() {
		String id = newAssociation();
		for (String role : new String[] { "OSD_MANAGER", "RECOVERY_VIEWER", "AUDITOR" }) {
			OperatorClient operator = this.admin.createOperator(unique("hold-" + role).toLowerCase(Locale.ROOT), role);
			Response response = operator.put(path(id), Map.of("hold", true, "reason", "not mine to place"));
			assertProblem(response, 403, "forbidden");
		}
		assertThat(this.admin.association(id).path("legalHold").asBoolean()).isFalse();
	}

	@Test
	void holdWithoutReasonIsRefused() {
		String id = newAssociation();
		assertProblem(this.admin.put(path(id), Map.of("hold", true)), 400, "validation");
		assertProblem(this.admin.put(path(id), Map.of("hold", true, "reason", "   ")), 400, "validation");
		assertThat(this.admin.association(id).path("legalHold").asBoolean()).isFalse();
	}

	@Test
	void reasonOfMoreThan500CharactersIsRefused() {
		String id = newAssociation();
		assertProblem(this.admin.put(path(id), Map.of("hold", true, "reason", "x".repeat(501))), 400, "validation");
		Response longest = this.admin.put(path(id), Map.of("hold", true, "reason", "x".repeat(500)));
		assertThat(longest.status()).isEqualTo(200);
	}

	@Test
	void holdWithoutTheHoldFlagOrWithUnknownFieldsIsRefused() {
		String id = newAssociation();
		assertProblem(this.admin.put(path(id), Map.of("reason", "which way?")), 400, "validation");
		Map<String, Object> body = new HashMap<>(Map.of("hold", true, "reason", "fine"));
		body.put("until", "2030-01-01");
		assertProblem(this.admin.put(path(id), body), 400, "validation");
		assertProblem(this.admin.put(path(id), null), 400, "validation");
	}

	@Test
	void holdOnUnknownAssociationIsNotFound() {
		Response response = this.admin.put(path(UUID.randomUUID().toString()),
				Map.of("hold", true, "reason", "no such association"));
		assertProblem(response, 404, "not-found");
	}

	private String newAssociation() {
		return this.admin.createAssociation(unique("HOLD-SRC"), unique("HOLD-DST"), "CAPTURE_ALL_RESTORE_ALL");
	}

	private static String path(String id) {
		return "/api/v1/associations/" + id + "/legal-hold";
	}

}
