package org.statemigration.smp.managementpoint;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestClock;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may do what on the client API: every refusal a computer can meet, each with its problem type.
 */
@IntegrationTest
@OnBothDatabases
class ClientApiSecurityIntegrationTests extends ManagementPointTestSupport {

	@Autowired
	TestClock clock;

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@Test
	void requestWithoutClientCertificateIsUnauthorized() {
		ComputerClient stranger = this.server.computer("STRANGER");
		Response response = stranger.requestStateStore("CAPTURE");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.problem()).isEqualTo("unauthorized");
	}

	@Test
	void operatorCredentialsDoNotOpenTheClientApi() {
		Response response = this.admin.post("/api/v1/mp/request-state-store", Map.of("operation", "CAPTURE"));
		assertThat(response.status()).isEqualTo(401);
	}

	@Test
	void uploadWithoutTokenIsRefused() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response response = pair.source().upload(capture.storeUrl(), null, new byte[10], null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.problem()).isEqualTo("token-invalid");
	}

	@Test
	void sourceCannotDownload() {
		Pair pair = captured();
		Response request = pair.source().requestStateStore("RESTORE");
		assertThat(request.status()).isEqualTo(404);
		assertThat(request.problem()).isEqualTo("no-association");
		Grant capture = pair.source().request("CAPTURE");
		Response download = pair.source().head(capture.storeUrl(), capture.token());
		assertThat(download.status()).isEqualTo(403);
		assertThat(pair.source().download(capture.storeUrl(), capture.token(), null).statusCode()).isEqualTo(403);
	}

	@Test
	void destinationCannotUpload() {
		Pair pair = captured();
		Response request = pair.destination().requestStateStore("CAPTURE");
		assertThat(request.status()).isEqualTo(404);
		assertThat(request.problem()).isEqualTo("no-association");
		Grant restore = pair.destination().request("RESTORE");
		Response upload = pair.destination().upload(restore.storeUrl(), restore.token(), new byte[10], null);
		assertThat(upload.status()).isEqualTo(403);
		assertThat(upload.problem()).isEqualTo("forbidden");
	}

	@Test
	void tokenForAnotherAssociationIsForbidden() {
		Pair first = newPair("CAPTURE_ALL_RESTORE_ALL");
		Pair second = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant firstCapture = first.source().request("CAPTURE");
		Grant secondCapture = second.source().request("CAPTURE");
		Response response = first.source().upload(secondCapture.storeUrl(), firstCapture.token(), new byte[10], null);
		assertThat(response.status()).isEqualTo(403);
		assertThat(response.problem()).isEqualTo("forbidden");
	}

	@Test
	void tokenPresentedWithAnotherComputersCertificateIsInvalid() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Pair other = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response response = other.source().upload(capture.storeUrl(), capture.token(), new byte[10], null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.problem()).isEqualTo("token-invalid");
		assertThat(other.source().release(capture.token(), true).problem()).isEqualTo("token-invalid");
	}

	@Test
	void tamperedTokenIsInvalid() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		String token = capture.token();
		char last = token.charAt(token.length() - 5);
		String tampered = token.substring(0, token.length() - 5) + (last == 'A' ? 'B' : 'A') + token.substring(token.length() - 4);
		Response response = pair.source().upload(capture.storeUrl(), tampered, new byte[10], null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.problem()).isEqualTo("token-invalid");
	}

	@Test
	void tokenWithItsClaimsEditedOrItsSignatureForgedIsInvalidAndTheTokenItselfStillWorks() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		String[] parts = capture.token().split("\\.");
		Base64.Decoder decoder = Base64.getUrlDecoder();
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		String claims = new String(decoder.decode(parts[1]), StandardCharsets.UTF_8);
		String otherComputer = encoder.encodeToString(
				claims.replace("\"sub\":\"", "\"sub\":\"X").getBytes(StandardCharsets.UTF_8));
		// an ES256 signature is r and s of 32 bytes each: zero for both is the forgery that once passed the JDK's
		// own check (CVE-2022-21449), a valid signature of other content is any other
		String zeroSignature = encoder.encodeToString(new byte[64]);
		String otherSignature = pair.source().request("CAPTURE").token().split("\\.")[2];
		for (String forged : List.of(parts[0] + "." + otherComputer + "." + parts[2],
				parts[0] + "." + parts[1] + "." + zeroSignature, parts[0] + "." + parts[1] + "." + otherSignature,
				parts[0] + "." + parts[1] + ".")) {
			Response response = pair.source().upload(capture.storeUrl(), forged, new byte[10], null);
			assertThat(response.status()).as(forged).isEqualTo(401);
			assertThat(response.problem()).isEqualTo("token-invalid");
		}
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], null).status())
			.isEqualTo(201);
	}

	@Test
	void expiredTokenIsInvalid() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		this.clock.advance(Duration.ofHours(4).plusSeconds(1));
		Response response = pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.problem()).isEqualTo("token-invalid");
	}

	@Test
	void spentTokenIsInvalid() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], null);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		Response response = pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], null);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.problem()).isEqualTo("token-invalid");
	}

	@Test
	void aSpentTokenCannotReleaseAgainAndTheRefusalIsRecorded() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant failed = pair.source().request("CAPTURE");
		assertThat(pair.source().release(failed.token(), false).status()).isEqualTo(200);
		// the association is still CAPTURING: only the spent token refuses the second release
		Response again = pair.source().release(failed.token(), true);
		assertThat(again.status()).isEqualTo(401);
		assertThat(again.problem()).isEqualTo("token-invalid");
		assertThat(this.admin.get("/api/v1/associations/" + pair.associationId()).json().path("state").asString())
			.isEqualTo("CAPTURING");
		JsonNode refused = this.admin.get("/api/v1/audit?action=client.refused&actor=" + pair.source().name())
			.json()
			.path("items");
		assertThat(refused).hasSize(1);
		assertThat(refused.get(0).path("detail").asString()).isEqualTo("token invalid");

		Grant capture = pair.source().request("CAPTURE");
		pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], null);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		// refused as spent, not as a release in the wrong state
		Response replay = pair.source().release(capture.token(), true);
		assertThat(replay.status()).isEqualTo(401);
		assertThat(replay.problem()).isEqualTo("token-invalid");
	}

	@Test
	void usedEnrollmentCodeIsInvalid() {
		String name = "REUSE-" + System.nanoTime() % 100000;
		this.admin.createAssociation(name, name + "-D", "CAPTURE_ALL_RESTORE_ALL");
		String code = this.admin.enrollmentCode(name);
		assertThat(this.server.computer(name).enroll(code).status()).isEqualTo(201);
		Response again = this.server.computer(name).enroll(code);
		assertThat(again.status()).isEqualTo(401);
		assertThat(again.problem()).isEqualTo("enrollment-code-invalid");
	}

	@Test
	void expiredEnrollmentCodeIsInvalid() {
		String name = "LATE-" + System.nanoTime() % 100000;
		this.admin.createAssociation(name, name + "-D", "CAPTURE_ALL_RESTORE_ALL");
		String code = this.admin.enrollmentCode(name);
		this.clock.advance(Duration.ofDays(7).plusMinutes(1));
		Response response = this.server.computer(name).enroll(code);
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.problem()).isEqualTo("enrollment-code-invalid");
	}

	@Test
	void wrongEnrollmentCodeIsInvalid() {
		Response response = this.server.computer("NOBODY").enroll("AAAAA-BBBBB-CCCCC-DDDDD");
		assertThat(response.status()).isEqualTo(401);
		assertThat(response.problem()).isEqualTo("enrollment-code-invalid");
	}

	@Test
	void csrWithWrongSignatureIsRefusedAndTheCodeStaysUsable() throws Exception {
		String name = "BADCSR-" + System.nanoTime() % 100000;
		this.admin.createAssociation(name, name + "-D", "CAPTURE_ALL_RESTORE_ALL");
		String code = this.admin.enrollmentCode(name);
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		KeyPair keys = generator.generateKeyPair();
		String csr = ComputerClient.csr(keys);
		String body = csr.replace("-----BEGIN CERTIFICATE REQUEST-----", "").replace("-----END CERTIFICATE REQUEST-----", "")
			.replaceAll("\\s", "");
		byte[] der = java.util.Base64.getDecoder().decode(body);
		der[der.length - 3] ^= 0x01;
		String broken = "-----BEGIN CERTIFICATE REQUEST-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der)
				+ "\n-----END CERTIFICATE REQUEST-----\n";
		Response response = this.server.computer(name).post("/api/v1/enrollment", Map.of("code", code, "csr", broken), null);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.problem()).isEqualTo("validation");
		assertThat(this.server.computer(name).enroll(code).status()).isEqualTo(201);
	}

	@Test
	void blockedCertificateIsRefusedWithEveryTokenBoundToIt() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		Response block = this.admin.post("/api/v1/certificates/" + pair.source().serial() + "/block",
				Map.of("reason", "laptop reported stolen"));
		assertThat(block.status()).isEqualTo(200);
		assertThat(block.json().path("blocked").asBoolean()).isTrue();
		Response upload = pair.source().upload(capture.storeUrl(), capture.token(), new byte[10], null);
		assertThat(upload.status()).isEqualTo(403);
		assertThat(upload.problem()).isEqualTo("certificate-blocked");
		Response request = pair.source().requestStateStore("CAPTURE");
		assertThat(request.problem()).isEqualTo("certificate-blocked");
	}

	@Test
	void enrollmentWithANewCodeIgnoresTheBlockedCertificateOfferedOnTheConnection() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		assertThat(this.admin.post("/api/v1/certificates/" + pair.source().serial() + "/block",
				Map.of("reason", "key leaked from the image")).status()).isEqualTo(200);
		String blockedSerial = pair.source().serial();

		// the client still presents the blocked certificate on the TLS connection
		Response enrolled = pair.source().enroll(this.admin.enrollmentCode(pair.source().name()));

		assertThat(enrolled.status()).as(enrolled.body()).isEqualTo(201);
		assertThat(pair.source().serial()).isNotEqualTo(blockedSerial);
		assertThat(pair.source().requestStateStore("CAPTURE").status()).isEqualTo(200);
	}

	@Test
	void operationGivenAsANumberIsAValidationProblem() {
		// captured data, so that {"operation": 1} would be a restore if numbers were taken for enum constants
		Pair pair = captured();
		for (String body : new String[] { "{\"operation\":1}", "{\"operation\":0}", "{\"operation\":1.0}" }) {
			Response response = pair.destination().post("/api/v1/mp/request-state-store", body, null);
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.problem()).isEqualTo("validation");
		}
	}

	@Test
	void releaseWithSuccessAsTextOrNumberIsAValidationProblem() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), new byte[100], null).status()).isEqualTo(201);
		for (String body : new String[] { "{\"success\":\"true\"}", "{\"success\":1}" }) {
			Response response = pair.source().post("/api/v1/mp/release-state-store", body, capture.token());
			assertThat(response.status()).as(body).isEqualTo(400);
			assertThat(response.problem()).isEqualTo("validation");
		}
		assertThat(state(pair)).isEqualTo("CAPTURING");
	}

	@Test
	void restoreBeforeAnyCaptureFindsNoStateStore() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Response response = pair.destination().requestStateStore("RESTORE");
		assertThat(response.status()).isEqualTo(404);
		assertThat(response.problem()).isEqualTo("no-state-store");
	}

	@Test
	void restoreWhileRecapturingIsInInvalidState() {
		Pair pair = captured();
		pair.source().request("CAPTURE");
		Response response = pair.destination().requestStateStore("RESTORE");
		assertThat(response.status()).isEqualTo(409);
		assertThat(response.problem()).isEqualTo("invalid-state");
	}

	@Test
	void unknownOperationIsAValidationProblem() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Response response = pair.source().post("/api/v1/mp/request-state-store", "{\"operation\":\"STEAL\"}", null);
		assertThat(response.status()).isEqualTo(400);
		assertThat(response.problem()).isEqualTo("validation");
	}

	Pair captured() {
		Pair pair = newPair("CAPTURE_ALL_RESTORE_ALL");
		Grant capture = pair.source().request("CAPTURE");
		assertThat(pair.source().upload(capture.storeUrl(), capture.token(), new byte[100], null).status()).isEqualTo(201);
		assertThat(pair.source().release(capture.token(), true).status()).isEqualTo(200);
		return pair;
	}

}
