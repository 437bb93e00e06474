package org.statemigration.smp.pki;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestServer.Response;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Computers as operators see them through the admin API: listing and finding them with their certificates,
 * issuing enrollment codes and blocking certificates. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class ComputerApiIntegrationTests extends AdminApiTestSupport {

	@Test
	void listsComputersWhoseNameContainsTheFilterInAnyCase() {
		String common = unique("FIND");
		String first = common + "-A";
		String second = common + "-B";
		this.admin.createAssociation(first, second, "CAPTURE_ALL_RESTORE_ALL");
		this.admin.createAssociation(unique("ELSEWHERE"), unique("ELSEWHERE-D"), "CAPTURE_ALL_RESTORE_ALL");

		Response response = this.admin.get("/api/v1/computers?name=" + common.toLowerCase(Locale.ROOT));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().values()).extracting((computer) -> computer.path("name").asString())
			.containsExactly(first, second);
		assertThat(this.admin.get("/api/v1/computers?name=" + unique("NOBODY")).json().isEmpty()).isTrue();
		assertThat(this.admin.get("/api/v1/computers").json().size()).isGreaterThanOrEqualTo(2);
	}

	@Test
	void searchTakesLikeWildcardsLiterally() {
		this.admin.createAssociation(unique("WILD"), unique("WILD-D"), "CAPTURE_ALL_RESTORE_ALL");
		assertThat(this.admin.get("/api/v1/computers").json().size()).isGreaterThanOrEqualTo(2);
		for (String wildcard : List.of("%25", "_", "%25%25", "__", "%5C", "%5C%25", "W%25D", "W_LD")) {
			Response response = this.admin.get("/api/v1/computers?name=" + wildcard);
			assertThat(response.status()).isEqualTo(200);
			assertThat(response.json().isEmpty()).as("computers matching %s", wildcard).isTrue();
		}
	}

	@Test
	void showsAComputerWithItsCertificatesAfterEnrollment() {
		String name = unique("SHOWN");
		this.admin.createAssociation(name, unique("SHOWN-D"), "CAPTURE_ALL_RESTORE_ALL");
		JsonNode before = this.admin.get("/api/v1/computers/" + name).json();
		assertThat(before.path("name").asString()).isEqualTo(name);
		assertThat(before.path("certificates").isEmpty()).isTrue();

		ComputerClient computer = this.server.computer(name);
		assertThat(computer.enroll(this.admin.enrollmentCode(name)).status()).isEqualTo(201);

		Response response = this.admin.get("/api/v1/computers/" + name.toLowerCase(Locale.ROOT));
		assertThat(response.status()).isEqualTo(200);
		JsonNode shown = response.json();
		assertThat(shown.path("name").asString()).isEqualTo(name);
		assertThat(shown.path("certificates").size()).isEqualTo(1);
		JsonNode certificate = shown.path("certificates").get(0);
		assertThat(certificate.path("serial").asString()).isEqualTo(computer.serial());
		assertThat(Instant.parse(certificate.path("notBefore").asString()))
			.isEqualTo(computer.certificate().getNotBefore().toInstant());
		assertThat(Instant.parse(certificate.path("notAfter").asString()))
			.isEqualTo(computer.certificate().getNotAfter().toInstant());
		assertThat(certificate.path("blocked").asBoolean()).isFalse();
		assertThat(shown.toString()).doesNotContain("BEGIN");
	}

	@Test
	void unknownComputerIsNotFound() {
		assertProblem(this.admin.get("/api/v1/computers/" + unique("GHOST")), 404, "not-found");
		assertProblem(this.admin.get("/api/v1/computers/not_a_name"), 404, "not-found");
	}

	@Test
	void issuesAOneTimeEnrollmentCodeThatIsNotCached() {
		String name = unique("CODE");
		this.admin.createAssociation(name, unique("CODE-D"), "CAPTURE_ALL_RESTORE_ALL");
		Instant before = Instant.now();
		Response response = this.admin.post("/api/v1/computers/" + name + "/enrollment-codes", null);
		assertThat(response.status()).isEqualTo(201);
		assertThat(response.header("Cache-Control")).contains("no-store");
		String code = response.json().path("code").asString();
		assertThat(code).matches("[A-Z2-9]{5}(-[A-Z2-9]{5}){3}");
		Instant expiresAt = Instant.parse(response.json().path("expiresAt").asString());
		assertThat(expiresAt).isBetween(before.plus(Duration.ofDays(7)).minusSeconds(60),
				Instant.now().plus(Duration.ofDays(7)).plusSeconds(60));
		assertThat(this.admin.post("/api/v1/computers/" + name + "/enrollment-codes", null).json().path("code")
			.asString()).isNotEqualTo(code);
		assertThat(this.server.computer(name).enroll(code).status()).isEqualTo(201);
	}

	@Test
	void enrollmentCodeForAnUnknownComputerIsNotFound() {
		String name = unique("NOCODE");
		assertProblem(this.admin.post("/api/v1/computers/" + name + "/enrollment-codes", null), 404, "not-found");
		assertThat(this.admin.get("/api/v1/computers/" + name).status()).isEqualTo(404);
	}

	@Test
	void blocksACertificate() {
		ComputerClient computer = enrolledComputer("BLOCKED");
		Response response = this.admin.post("/api/v1/certificates/" + computer.serial().toUpperCase(Locale.ROOT)
				+ "/block", Map.of("reason", "laptop reported stolen"));
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("serial").asString()).isEqualTo(computer.serial());
		assertThat(response.json().path("blocked").asBoolean()).isTrue();

		JsonNode shown = this.admin.get("/api/v1/computers/" + computer.name()).json();
		JsonNode certificate = shown.path("certificates").get(0);
		assertThat(certificate.path("blocked").asBoolean()).isTrue();
		assertThat(certificate.path("blockedAt").isNull()).isFalse();
		assertProblem(computer.requestStateStore("CAPTURE"), 403, "certificate-blocked");
	}

	@Test
	void blockingAnUnknownCertificateIsNotFound() {
		assertProblem(this.admin.post("/api/v1/certificates/123456789abcdef/block", Map.of("reason", "stolen laptop")),
				404, "not-found");
	}

	@Test
	void blockingNeedsAReason() {
		ComputerClient computer = enrolledComputer("NOREASON");
		String path = "/api/v1/certificates/" + computer.serial() + "/block";
		assertProblem(this.admin.post(path, Map.of()), 400, "validation");
		assertProblem(this.admin.post(path, Map.of("reason", "  ")), 400, "validation");
		assertProblem(this.admin.post(path, Map.of("reason", "r".repeat(501))), 400, "validation");
		assertProblem(this.admin.send("POST", path, null), 400, "validation");
		assertProblem(this.admin.post(path, Map.of("reason", "stolen", "urgent", true)), 400, "validation");
		assertThat(this.admin.get("/api/v1/computers/" + computer.name()).json().path("certificates").get(0)
			.path("blocked").asBoolean()).isFalse();
		assertThat(computer.requestStateStore("CAPTURE").status()).isEqualTo(200);
	}

}
