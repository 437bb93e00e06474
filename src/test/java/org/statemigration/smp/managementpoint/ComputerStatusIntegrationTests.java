package org.statemigration.smp.managementpoint;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/mp/status}: a computer reads its own associations with its certificate, and nothing else;
 * no secret is in the answer. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class ComputerStatusIntegrationTests extends AdminApiTestSupport {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Test
	void statusWithoutClientCertificateIsUnauthorized() {
		assertProblem(this.server.anonymous().get("/api/v1/mp/status"), 401, "unauthorized");
	}

	@Test
	void statusWithOperatorCredentialsButNoCertificateIsUnauthorized() {
		assertProblem(this.admin.get("/api/v1/mp/status"), 401, "unauthorized");
	}

	@Test
	void statusWithABlockedCertificateIsForbidden() {
		ComputerClient computer = enrolledComputer("ST-BLK");
		assertThat(this.admin.post("/api/v1/certificates/" + computer.serial() + "/block", Map.of("reason", "lost"))
			.status()).isEqualTo(200);

		HttpResponse<String> response = status(computer);

		assertThat(response.statusCode()).isEqualTo(403);
		assertThat(json.readTree(response.body()).path("type").asString())
			.isEqualTo("urn:smp:problem:certificate-blocked");
	}

	@Test
	void statusListsTheComputersAssociationsInEachRoleAndNoOtherComputers() {
		String computerName = unique("ST-PC");
		String asSource = this.admin.createAssociation(computerName, unique("ST-NEW"), "CAPTURE_ALL_RESTORE_ALL");
		String asDestination = this.admin.createAssociation(unique("ST-OLD"), computerName, "CAPTURE_ALL_RESTORE_ALL");
		String inPlace = this.admin.createAssociation(computerName, computerName, "CAPTURE_ALL_RESTORE_ALL");
		String others = this.admin.createAssociation(unique("ST-X"), unique("ST-Y"), "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = this.server.computer(computerName);
		assertThat(computer.enroll(this.admin.enrollmentCode(computerName)).status()).isEqualTo(201);

		HttpResponse<String> response = status(computer);

		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode status = json.readTree(response.body());
		assertThat(status.path("computer").asString()).isEqualTo(computerName);
		Map<String, String> roles = new java.util.HashMap<>();
		for (JsonNode association : status.path("associations")) {
			roles.put(association.path("id").asString(), association.path("role").asString());
			assertThat(association.has("encryptionKey")).isFalse();
			assertThat(association.has("token")).isFalse();
			assertThat(association.path("state").asString()).isEqualTo("CREATED");
		}
		assertThat(roles).containsExactlyInAnyOrderEntriesOf(Map.of(asSource, "SOURCE", asDestination, "DESTINATION",
				inPlace, "SOURCE_AND_DESTINATION"));
		assertThat(roles).doesNotContainKey(others);
	}

	@Test
	void statusShowsTheStoreOnceCaptured() {
		Captured captured = captured(new byte[12345]);

		JsonNode association = json.readTree(status(captured.destination()).body()).path("associations").get(0);

		assertThat(association.path("id").asString()).isEqualTo(captured.associationId());
		assertThat(association.path("state").asString()).isEqualTo("CAPTURED");
		assertThat(association.path("storeSizeBytes").asLong()).isEqualTo(12345);
		assertThat(association.path("capturedAt").isNull()).isFalse();
	}

	@Test
	void onlyGetIsAnswered() {
		ComputerClient computer = enrolledComputer("ST-POST");
		Response response = computer.post("/api/v1/mp/status", Map.of(), null);
		assertThat(response.status()).isEqualTo(405);
	}

	private HttpResponse<String> status(ComputerClient computer) {
		return computer.exchange(HttpRequest.newBuilder(this.server.uri("/api/v1/mp/status")).GET().build());
	}

}
