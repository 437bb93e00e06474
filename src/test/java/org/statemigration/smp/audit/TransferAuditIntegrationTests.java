package org.statemigration.smp.audit;

import java.io.StringWriter;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the audit log records of a migration's transfers and of a failed enrollment: a capture its source released
 * with success (whether uploaded in one request or through tus) and a restore its destination confirmed, each
 * with the computer, the association, its two computers and the size; none for a capture released as failed;
 * and a failed enrollment named by the address it came from and the computer name its CSR claimed, never by its
 * code. A release whose record cannot be written is refused and changes nothing. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class TransferAuditIntegrationTests extends AdminApiTestSupport {

	@Autowired
	JdbcClient jdbc;

	@Test
	void aCaptureInOneRequestAndAConfirmedRestoreAreRecordedWithTheirComputersAndSize() {
		byte[] data = randomBytes(300_000);
		Captured captured = captured(data);

		JsonNode capture = onlyEvent("capture.complete", captured.source().name());
		assertTransfer(capture, captured, data.length);
		assertThat(onlyEvent("capture.complete", captured.source().name()).path("seq").asLong())
			.isEqualTo(capture.path("seq").asLong());
		assertThat(events("restore.confirm", captured.destination().name()).path("total").asLong())
			.as("no restore yet").isZero();

		Grant restore = captured.destination().request("RESTORE");
		assertThat(captured.destination().release(restore.token(), true).status()).isEqualTo(200);

		assertTransfer(onlyEvent("restore.confirm", captured.destination().name()), captured, data.length);
	}

	@Test
	void aCaptureThroughAResumableUploadIsRecordedAndAFailedOneIsNot() throws Exception {
		String source = unique("TUS-SRC");
		String destination = unique("TUS-DST");
		String id = this.admin.createAssociation(source, destination, "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = this.server.computer(source);
		assertThat(computer.enroll(this.admin.enrollmentCode(source)).status()).isEqualTo(201);

		Grant failed = computer.request("CAPTURE");
		assertThat(computer.release(failed.token(), false).status()).isEqualTo(200);
		assertThat(events("capture.complete", source).path("total").asLong()).as("a failed capture").isZero();

		Grant capture = computer.request("CAPTURE");
		byte[] data = randomBytes(123_457);
		HttpResponse<String> created = computer.exchange(HttpRequest.newBuilder(this.server.uri("/api/v1/uploads"))
			.POST(HttpRequest.BodyPublishers.ofByteArray(data))
			.header("Tus-Resumable", "1.0.0")
			.header("Authorization", "Bearer " + capture.token())
			.header("Upload-Length", Integer.toString(data.length))
			.header("Upload-Metadata", "sha256 " + Base64.getEncoder()
				.encodeToString(MessageDigest.getInstance("SHA-256").digest(data)))
			.header("Content-Type", "application/offset+octet-stream")
			.build());
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		assertThat(created.headers().firstValue("Upload-Offset")).contains(Integer.toString(data.length));
		assertThat(events("capture.complete", source).path("total").asLong()).as("not released yet").isZero();
		assertThat(computer.release(capture.token(), true).status()).isEqualTo(200);

		JsonNode event = onlyEvent("capture.complete", source);
		assertThat(event.path("target").asString()).isEqualTo(id);
		assertThat(event.path("detail").asString())
			.isEqualTo("source=" + source + " destination=" + destination + " sizeBytes=" + data.length);
	}

	@Test
	void aReleaseWhoseRecordCannotBeWrittenIsRefusedAndChangesNothing() {
		Captured captured = captured(randomBytes(10_000));
		Grant restore = captured.destination().request("RESTORE");
		Map<String, Object> head = this.jdbc.sql("SELECT id, last_seq, last_hash, keyed_from_seq FROM audit_head")
			.query()
			.singleRow();
		this.jdbc.sql("DELETE FROM audit_head").update();
		try {
			assertProblem(captured.destination().release(restore.token(), true), 503, "audit-unavailable");
		}
		finally {
			this.jdbc.sql("INSERT INTO audit_head (id, last_seq, last_hash, keyed_from_seq) VALUES (?, ?, ?, ?)")
				.params(head.get("id"), head.get("last_seq"), head.get("last_hash"), head.get("keyed_from_seq"))
				.update();
		}
		assertThat(this.admin.association(captured.associationId()).path("state").asString()).isEqualTo("RESTORING");
		assertThat(events("restore.confirm", captured.destination().name()).path("total").asLong()).isZero();

		assertThat(captured.destination().release(restore.token(), true).status()).as("the token is still good")
			.isEqualTo(200);
		onlyEvent("restore.confirm", captured.destination().name());
		assertThat(this.admin.get("/api/v1/audit/verify").json().path("valid").asBoolean()).isTrue();
	}

	@Test
	void aFailedEnrollmentIsRecordedWithItsAddressAndTheNameItClaimedNotItsCode() throws Exception {
		String claimed = unique("CLAIMING");
		String code = "WRONG-" + claimed;
		ComputerClient stranger = this.server.computer(claimed);

		assertThat(stranger.post("/api/v1/enrollment", Map.of("code", code, "csr", csr("CN=" + claimed)), null)
			.status()).isEqualTo(401);

		JsonNode event = enrollmentEvent((e) -> e.path("actor").asString().endsWith(" claiming " + claimed));
		String address = event.path("remoteAddress").asString();
		assertThat(address).isNotBlank();
		assertThat(event.path("actor").asString()).isEqualTo(address + " claiming " + claimed);
		assertThat(event.path("outcome").asString()).isEqualTo("FAILURE");
		assertThat(event.toString()).doesNotContain(code, "anonymousUser");

		// a CSR refused with a valid code: the code is known, the actor still the claimant; a name that is no
		// computer name is not repeated
		String known = unique("KNOWN");
		this.admin.createAssociation(known, unique("KNOWN-D"), "CAPTURE_ALL_RESTORE_ALL");
		String valid = this.admin.enrollmentCode(known);
		X500Name odd = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "<b>" + known + "</b>").build();
		KeyPairGenerator weak = KeyPairGenerator.getInstance("RSA");
		weak.initialize(1024);
		String refused = csr(odd, weak.generateKeyPair(), "SHA256withRSA");
		assertThat(this.server.computer(known).post("/api/v1/enrollment", Map.of("code", valid, "csr", refused), null)
			.status()).isEqualTo(400);
		JsonNode unnamed = enrollmentEvent((e) -> e.path("target").asString().equals(known)
				&& e.path("outcome").asString().equals("FAILURE"));
		assertThat(unnamed.path("detail").asString()).isEqualTo("csr not acceptable");
		assertThat(unnamed.path("actor").asString()).isEqualTo(address + " claiming no computer name");
		assertThat(unnamed.toString()).doesNotContain(valid);
	}

	/** The newest enrollment event that matches. */
	private JsonNode enrollmentEvent(Predicate<JsonNode> matches) {
		for (JsonNode event : this.admin.get("/api/v1/audit?action=enrollment&size=50").json().path("items")) {
			if (matches.test(event)) {
				return event;
			}
		}
		throw new AssertionError("no such enrollment event");
	}

	private JsonNode events(String action, String actor) {
		return this.admin.get("/api/v1/audit?action=" + action + "&actor=" + actor).json();
	}

	private JsonNode onlyEvent(String action, String actor) {
		JsonNode page = events(action, actor);
		assertThat(page.path("total").asLong()).as("%s by %s", action, actor).isEqualTo(1);
		return page.path("items").get(0);
	}

	private static void assertTransfer(JsonNode event, Captured captured, long size) {
		assertThat(event.path("target").asString()).isEqualTo(captured.associationId());
		assertThat(event.path("outcome").asString()).isEqualTo("SUCCESS");
		assertThat(event.path("detail").asString()).isEqualTo("source=" + captured.source().name() + " destination="
				+ captured.destination().name() + " sizeBytes=" + size);
		assertThat(event.path("remoteAddress").asString()).isNotBlank();
	}

	private static byte[] randomBytes(int size) {
		byte[] data = new byte[size];
		new Random(size).nextBytes(data);
		return data;
	}

	private static String csr(String subject) throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		return csr(new X500Name(subject), generator.generateKeyPair(), "SHA256withECDSA");
	}

	private static String csr(X500Name subject, KeyPair keyPair, String signature) throws Exception {
		var request = new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
			.build(new JcaContentSignerBuilder(signature).build(keyPair.getPrivate()));
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(request);
		}
		return out.toString();
	}

}
