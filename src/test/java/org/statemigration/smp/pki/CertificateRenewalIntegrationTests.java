package org.statemigration.smp.pki;

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
 * A computer renews its certificate with the current one: the new certificate is the same computer's and works at
 * once, the old one keeps working until it expires, and only an enrolled, unblocked certificate may renew.
 */
@IntegrationTest
@OnBothDatabases
class CertificateRenewalIntegrationTests extends AdminApiTestSupport {

	private static final String RENEWAL = "/api/v1/enrollment/renewal";

	@Test
	void renewedCertificateBelongsToTheSameComputerAndWorks() {
		ComputerClient computer = enrolledComputer("RENEW");
		String oldSerial = computer.serial();

		Response renewed = computer.renew();

		assertThat(renewed.status()).as(renewed.body()).isEqualTo(201);
		assertThat(renewed.json().path("computer").asString()).isEqualTo(computer.name());
		assertThat(renewed.json().path("caCertificate").asString()).startsWith("-----BEGIN CERTIFICATE-----");
		assertThat(computer.serial()).isNotEqualTo(oldSerial);
		assertThat(computer.certificate().getSubjectX500Principal().getName()).contains(computer.name());
		assertThat(computer.requestStateStore("CAPTURE").status()).isEqualTo(200);
		JsonNode listed = this.admin.get("/api/v1/computers/" + computer.name()).json();
		assertThat(listed.path("certificates").values()).extracting((c) -> c.path("serial").asString())
			.contains(oldSerial, computer.serial());
		JsonNode audited = this.admin.get("/api/v1/audit?action=certificate.renew&actor=" + computer.name()).json();
		assertThat(audited.path("total").asLong()).isEqualTo(1);
		assertThat(audited.path("items").get(0).path("detail").asString()).contains(oldSerial, computer.serial());
	}

	@Test
	void previousCertificateKeepsWorkingUntilItExpires() {
		ComputerClient computer = enrolledComputer("RENEW-OLD");
		ComputerClient previous = this.server.computer(computer.name());
		previous.impersonate(computer);

		assertThat(computer.renew().status()).isEqualTo(201);

		assertThat(previous.requestStateStore("CAPTURE").status()).isEqualTo(200);
	}

	@Test
	void renewalWithoutClientCertificateIsUnauthorized() {
		ComputerClient stranger = this.server.computer(unique("RENEW-NONE"));
		Response response = stranger.renew();
		assertProblem(response, 401, "unauthorized");
	}

	@Test
	void renewalWithBlockedCertificateIsForbidden() {
		ComputerClient computer = enrolledComputer("RENEW-BLOCKED");
		Response blocked = this.admin.post("/api/v1/certificates/" + computer.serial() + "/block",
				Map.of("reason", "reported stolen"));
		assertThat(blocked.status()).isEqualTo(200);

		Response response = computer.renew();

		assertProblem(response, 403, "certificate-blocked");
	}

	@Test
	void renewalWithMalformedCsrIsInvalid() {
		ComputerClient computer = enrolledComputer("RENEW-BAD");
		Response response = computer.post(RENEWAL, Map.of("csr", "not a certificate request"), null);
		assertProblem(response, 400, "validation");
	}

	@Test
	void renewedCertificateCanRenewAgain() {
		ComputerClient computer = enrolledComputer("RENEW-TWICE");
		assertThat(computer.renew().status()).isEqualTo(201);
		assertThat(computer.renew().status()).isEqualTo(201);
		assertThat(computer.requestStateStore("CAPTURE").status()).isEqualTo(200);
	}

}
