package org.statemigration.smp.audit;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

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
 * The audit log through its API: who may read it, that actions leave events, filtering and paging, and that the
 * chain reveals an edited or deleted row (more tampering in {@link AuditTamperingIntegrationTests}). Tampering is
 * always undone before the test ends, because the server and its database are shared with the other test classes.
 */
@IntegrationTest
@OnBothDatabases
class AuditApiIntegrationTests extends AdminApiTestSupport {

	@Autowired
	JdbcClient jdbc;

	@Test
	void onlyAuditorsAndAdminsReadTheLogAndVerifyIt() {
		for (String path : List.of("/api/v1/audit", "/api/v1/audit/verify")) {
			assertProblem(this.server.anonymous().get(path), 401, "unauthorized");
			for (String role : List.of("OSD_MANAGER", "RECOVERY_VIEWER")) {
				OperatorClient operator = this.admin.createOperator(unique(role.toLowerCase().replace('_', '-')), role);
				assertProblem(operator.get(path), 403, "forbidden");
			}
			OperatorClient auditor = this.admin.createOperator(unique("auditor"), "AUDITOR");
			assertThat(auditor.get(path).status()).isEqualTo(200);
			assertThat(this.admin.get(path).status()).isEqualTo(200);
		}
	}

	@Test
	void creatingAnAssociationLeavesAnEventWithItsActorAndAction() {
		OperatorClient manager = this.admin.createOperator(unique("manager"), "OSD_MANAGER");
		String id = manager.createAssociation(unique("AUD-SRC"), unique("AUD-DST"), "CAPTURE_ALL_RESTORE_ALL");
		JsonNode page = this.admin.get("/api/v1/audit?actor=" + manager.username() + "&action=association.create")
			.json();
		assertThat(page.path("total").asLong()).isEqualTo(1);
		JsonNode event = page.path("items").get(0);
		assertThat(event.path("actor").asString()).isEqualTo(manager.username());
		assertThat(event.path("action").asString()).isEqualTo("association.create");
		assertThat(event.path("target").asString()).isEqualTo(id);
		assertThat(event.path("outcome").asString()).isEqualTo("SUCCESS");
		assertThat(event.path("remoteAddress").asString()).isNotBlank();
		assertThat(event.path("seq").asLong()).isPositive();
		assertThat(Instant.parse(event.path("at").asString())).isBefore(Instant.now().plusSeconds(5));
	}

	@Test
	void aRoleWithoutTheRightAskingForRecoveryInformationIsRecordedAsDenied() {
		OperatorClient manager = this.admin.createOperator(unique("nosy"), "OSD_MANAGER");
		String id = manager.createAssociation(unique("DENY-SRC"), unique("DENY-DST"), "CAPTURE_ALL_RESTORE_ALL");
		assertThat(manager.post("/api/v1/associations/" + id + "/recovery-information",
				Map.of("reason", "I would like to see the key")).status()).isEqualTo(403);
		JsonNode page = this.admin.get("/api/v1/audit?actor=" + manager.username() + "&action=access.denied").json();
		assertThat(page.path("total").asLong()).isEqualTo(1);
		JsonNode event = page.path("items").get(0);
		assertThat(event.path("outcome").asString()).isEqualTo("DENIED");
		assertThat(event.path("target").asString()).isEqualTo("POST /api/v1/associations/" + id + "/recovery-information");
	}

	@Test
	void signInsAreRecordedFailuresAlwaysAndSuccessesOncePerHour() {
		OperatorClient manager = this.admin.createOperator(unique("signer"), "OSD_MANAGER");
		manager.get("/api/v1/associations");
		manager.get("/api/v1/associations");
		this.server.operator(manager.username(), "not-the-password-123").get("/api/v1/associations");
		JsonNode page = this.admin.get("/api/v1/audit?action=sign-in&actor=" + manager.username()).json();
		assertThat(page.path("total").asLong()).isEqualTo(1);
		assertThat(page.path("items").get(0).path("outcome").asString()).isEqualTo("SUCCESS");
		JsonNode failures = this.admin.get("/api/v1/audit?action=sign-in&actor=anonymous&size=500").json();
		assertThat(failures.path("items").findValuesAsString("target")).contains(manager.username());
	}

	@Test
	void filtersByActorActionAndTimeAndPagesNewestFirst() {
		OperatorClient manager = this.admin.createOperator(unique("pager"), "OSD_MANAGER");
		Instant before = Instant.now().minusSeconds(1);
		for (int i = 0; i < 3; i++) {
			manager.createAssociation(unique("PAGE-SRC"), unique("PAGE-DST"), "CAPTURE_ALL_RESTORE_ALL");
		}
		// the operator's own sign-in is recorded too: look at what it did
		String query = "/api/v1/audit?actor=" + manager.username() + "&action=association.create&size=2";
		JsonNode first = this.admin.get(query + "&page=0").json();
		JsonNode second = this.admin.get(query + "&page=1").json();
		assertThat(first.path("total").asLong()).isEqualTo(3);
		assertThat(first.path("size").asInt()).isEqualTo(2);
		assertThat(first.path("items")).hasSize(2);
		assertThat(second.path("page").asInt()).isEqualTo(1);
		assertThat(second.path("items")).hasSize(1);
		long newest = first.path("items").get(0).path("seq").asLong();
		long middle = first.path("items").get(1).path("seq").asLong();
		long oldest = second.path("items").get(0).path("seq").asLong();
		assertThat(newest).isGreaterThan(middle);
		assertThat(middle).isGreaterThan(oldest);

		assertThat(this.admin.get("/api/v1/audit?actor=" + manager.username() + "&action=association.delete")
			.json()
			.path("total")
			.asLong()).isZero();
		assertThat(this.admin.get(query + "&from=" + before).json().path("total").asLong()).isEqualTo(3);
		assertThat(this.admin.get(query + "&to=" + before).json().path("total").asLong()).isZero();
		assertThat(this.admin.get(query + "&from=" + Instant.now().plusSeconds(60)).json().path("total").asLong())
			.isZero();
	}

	@Test
	void refusesPagesOutOfRange() {
		assertProblem(this.admin.get("/api/v1/audit?size=501"), 400, "validation");
		assertProblem(this.admin.get("/api/v1/audit?size=0"), 400, "validation");
		assertProblem(this.admin.get("/api/v1/audit?page=-1"), 400, "validation");
		assertProblem(this.admin.get("/api/v1/audit?from=yesterday"), 400, "validation");
		assertThat(this.admin.get("/api/v1/audit?size=500").status()).isEqualTo(200);
	}

	@Test
	void verificationNamesAnEditedRowThenADeletedOne() {
		OperatorClient manager = this.admin.createOperator(unique("tamper"), "OSD_MANAGER");
		manager.createAssociation(unique("TAMPER-SRC"), unique("TAMPER-DST"), "CAPTURE_ALL_RESTORE_ALL");
		manager.createAssociation(unique("TAMPER-SRC"), unique("TAMPER-DST"), "CAPTURE_ALL_RESTORE_ALL");
		JsonNode items = this.admin.get("/api/v1/audit?actor=" + manager.username()).json().path("items");
		long seq = items.get(1).path("seq").asLong();
		assertVerified();

		Map<String, Object> original = this.jdbc.sql("SELECT * FROM audit_event WHERE seq = ?").param(seq)
			.query()
			.singleRow();
		try {
			this.jdbc.sql("UPDATE audit_event SET detail = ? WHERE seq = ?").params("nothing to see", seq).update();
			assertBrokenAt(seq);
			this.jdbc.sql("UPDATE audit_event SET detail = ? WHERE seq = ?").params(original.get("detail"), seq)
				.update();
			assertVerified();

			this.jdbc.sql("DELETE FROM audit_event WHERE seq = ?").param(seq).update();
			assertBrokenAt(seq);
		}
		finally {
			restore(original, seq);
		}
		assertVerified();
	}

	@Test
	void settingsChangesAndDeletionsAreRefusedWhenTheLogCannotBeWritten() {
		String id = this.admin.createAssociation(unique("FC-SRC"), unique("FC-DST"), "CAPTURE_ALL_RESTORE_ALL");
		String deleteAfter = this.admin.get("/api/v1/settings").json().path("deleteAfter").asString();
		Map<String, Object> head = this.jdbc.sql("SELECT id, last_seq, last_hash, keyed_from_seq FROM audit_head")
			.query()
			.singleRow();
		this.jdbc.sql("DELETE FROM audit_head").update();
		try {
			assertProblem(this.admin.patch("/api/v1/settings", Map.of("deleteAfter", "P9D")), 503, "audit-unavailable");
			assertProblem(this.admin.delete("/api/v1/associations/" + id), 503, "audit-unavailable");
		}
		finally {
			this.jdbc.sql("INSERT INTO audit_head (id, last_seq, last_hash, keyed_from_seq) VALUES (?, ?, ?, ?)")
				.params(head.get("id"), head.get("last_seq"), head.get("last_hash"), head.get("keyed_from_seq"))
				.update();
		}
		assertThat(this.admin.get("/api/v1/settings").json().path("deleteAfter").asString()).isEqualTo(deleteAfter);
		assertThat(this.admin.get("/api/v1/associations/" + id).status()).isEqualTo(200);
		assertVerified();
		assertThat(this.admin.delete("/api/v1/associations/" + id).status()).isEqualTo(204);
		assertThat(this.admin.get("/api/v1/audit?action=association.delete&size=1").json()
			.path("items").get(0).path("target").asString()).isEqualTo(id);
	}

	@Test
	void noSecretEverReachesTheLog() {
		OperatorClient operator = this.admin.createOperator(unique("secret-keeper"), "OSD_MANAGER");
		String password = "pw-" + operator.username() + "-0123456789";
		String newPassword = "changed-" + operator.username() + "-9876543210";
		assertThat(this.admin.patch("/api/v1/admins/" + operator.username(), Map.of("password", newPassword)).status())
			.isEqualTo(200);
		String source = unique("SECRET-SRC");
		this.admin.createAssociation(source, unique("SECRET-DST"), "CAPTURE_ALL_RESTORE_ALL");
		ComputerClient computer = this.server.computer(source);
		assertThat(computer.enroll("WRONG-CODE-" + source).status()).isEqualTo(401);
		String code = this.admin.enrollmentCode(source);
		assertThat(computer.enroll(code).status()).isEqualTo(201);
		ComputerClient.Grant grant = computer.request("CAPTURE");
		String forged = grant.token().substring(0, grant.token().length() - 4) + "AAAA";
		assertThat(computer.release(forged, true).status()).isEqualTo(401);
		assertThat(this.server.operator(operator.username(), "a-wrong-password-1").get("/api/v1/settings").status())
			.isEqualTo(401);

		String log = String.join("\n", this.jdbc
			.sql("SELECT seq, at, actor, action, target, outcome, detail, remote_address, prev_hash, hash FROM audit_event")
			.query((rs, row) -> {
				StringBuilder fields = new StringBuilder();
				for (int i = 1; i <= 10; i++) {
					fields.append(rs.getString(i)).append('|');
				}
				return fields.toString();
			})
			.list());
		assertThat(log).contains("enrollment", "client.refused", "sign-in", operator.username());
		for (String secret : List.of(password, newPassword, code, code.replace("-", ""), grant.token(), forged,
				grant.encryptionKey(), "a-wrong-password-1")) {
			assertThat(log).doesNotContain(secret);
		}
	}

	@Test
	void aBlockedCertificateAndTheRequestsItMakesAfterwardsAreRecorded() {
		ComputerClient computer = enrolledComputer("BLOCKED");
		assertThat(this.admin.post("/api/v1/certificates/" + computer.serial() + "/block", Map.of("reason", "lost laptop"))
			.status()).isEqualTo(200);
		assertProblem(computer.requestStateStore("CAPTURE"), 403, "certificate-blocked");
		JsonNode blocked = this.admin.get("/api/v1/audit?action=certificate.block&size=1").json().path("items").get(0);
		assertThat(blocked.path("target").asString()).isEqualToIgnoringCase(computer.serial());
		JsonNode refused = this.admin.get("/api/v1/audit?action=client.refused&actor=" + computer.name())
			.json()
			.path("items")
			.get(0);
		assertThat(refused.path("outcome").asString()).isEqualTo("DENIED");
		assertThat(refused.path("detail").asString()).isEqualTo("certificate blocked");
		assertThat(this.admin.get("/api/v1/audit?action=enrollment&actor=" + computer.name()).json().path("total")
			.asLong()).isEqualTo(1);
	}

	private void restore(Map<String, Object> row, long seq) {
		this.jdbc.sql("DELETE FROM audit_event WHERE seq = ?").param(seq).update();
		this.jdbc.sql("""
				INSERT INTO audit_event (seq, at, actor, action, target, outcome, detail, remote_address, prev_hash, hash,
				    key_version)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")
			.params(row.get("seq"), row.get("at"), row.get("actor"), row.get("action"), row.get("target"),
					row.get("outcome"), row.get("detail"), row.get("remote_address"), row.get("prev_hash"),
					row.get("hash"), row.get("key_version"))
			.update();
	}

	private void assertVerified() {
		JsonNode result = this.admin.get("/api/v1/audit/verify").json();
		assertThat(result.path("valid").asBoolean()).as("chain valid: %s", result).isTrue();
		assertThat(result.path("firstInvalidSeq").isNull()).isTrue();
		assertThat(result.path("events").asLong()).isPositive();
	}

	private void assertBrokenAt(long seq) {
		Response response = this.admin.get("/api/v1/audit/verify");
		assertThat(response.status()).isEqualTo(200);
		assertThat(response.json().path("valid").asBoolean()).isFalse();
		assertThat(response.json().path("firstInvalidSeq").asLong()).isEqualTo(seq);
	}

}
