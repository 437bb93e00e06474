package org.statemigration.smp.recovery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/associations/{id}/recovery-information}: a recovery viewer (or an administrator) gets the key
 * the client gets, with a reason, audited first and fail-closed. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class RecoveryInformationApiIntegrationTests extends AdminApiTestSupport {

	private static final String REASON = "Destination disk failed, ticket INC-4711";

	@Autowired
	JdbcClient jdbc;

	@Test
	void recoveryViewerGetsTheKeyTheClientGotAndTheStore() throws Exception {
		byte[] data = "user state of a lost computer".getBytes(StandardCharsets.UTF_8);
		Captured captured = captured(data);
		Grant restore = captured.destination().request("RESTORE");
		OperatorClient viewer = operator("RECOVERY_VIEWER");

		Response response = viewer.post(path(captured.associationId()), Map.of("reason", REASON));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.header("Cache-Control")).contains("no-store");
		JsonNode info = response.json();
		assertThat(info.path("associationId").asString()).isEqualTo(captured.associationId());
		assertThat(info.path("encryptionKey").asString()).isNotBlank().isEqualTo(restore.encryptionKey());
		assertThat(info.path("keyAlgorithm").asString()).isEqualTo("AES_256");
		assertThat(info.path("storeSha256").asString())
			.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)));
		Path location = Path.of(info.path("storeLocation").asString());
		assertThat(location.getFileName().toString()).endsWith(".smp");
		assertThat(location.getParent().getFileName().toString()).isEqualTo(captured.associationId());
		assertThat(Files.isRegularFile(location)).isTrue();
	}

	@Test
	void viewIsAuditedWithTheReasonAndWithoutTheKey() {
		Captured captured = captured(new byte[] { 1, 2, 3 });
		OperatorClient viewer = operator("RECOVERY_VIEWER");
		String key = viewer.post(path(captured.associationId()), Map.of("reason", REASON))
			.json()
			.path("encryptionKey")
			.asString();

		List<Map<String, Object>> events = this.jdbc
			.sql("SELECT actor, outcome, detail FROM audit_event WHERE action = ? AND target = ?")
			.params("recovery-information.view", captured.associationId())
			.query()
			.listOfRows();
		assertThat(events).hasSize(1);
		assertThat(events.get(0)).containsEntry("actor", viewer.username())
			.containsEntry("outcome", "SUCCESS")
			.containsEntry("detail", REASON);
		Long leaks = this.jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE detail LIKE ? OR target LIKE ?")
			.params("%" + key + "%", "%" + key + "%")
			.query(Long.class)
			.single();
		assertThat(leaks).isZero();
	}

	@Test
	void beforeAnyCaptureTheStoreIsNull() {
		String id = this.admin.createAssociation(unique("RI-SRC"), unique("RI-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Response response = this.admin.post(path(id), Map.of("reason", REASON));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().path("encryptionKey").asString()).isNotBlank();
		assertThat(response.json().path("storeLocation").isNull()).isTrue();
		assertThat(response.json().path("storeSha256").isNull()).isTrue();
	}

	@Test
	void anonymousCallerIsUnauthorized() {
		String id = newAssociation();
		Response response = this.server.anonymous().post(path(id), Map.of("reason", REASON));
		assertProblem(response, 401, "unauthorized");
		assertThat(response.body()).doesNotContain("encryptionKey");
	}

	@Test
	void osdManagerAndAuditorAreForbidden() {
		String id = newAssociation();
		for (String role : new String[] { "OSD_MANAGER", "AUDITOR" }) {
			Response response = operator(role).post(path(id), Map.of("reason", REASON));
			assertProblem(response, 403, "forbidden");
			assertThat(response.body()).doesNotContain("encryptionKey");
		}
	}

	@Test
	void recoveryViewerAndAdminAreAllowed() {
		String id = newAssociation();
		assertThat(operator("RECOVERY_VIEWER").post(path(id), Map.of("reason", REASON)).status()).isEqualTo(200);
		assertThat(this.admin.post(path(id), Map.of("reason", REASON)).status()).isEqualTo(200);
	}

	@Test
	void reasonMustBe10To500Characters() {
		String id = newAssociation();
		assertProblem(this.admin.post(path(id), Map.of()), 400, "validation");
		assertProblem(this.admin.post(path(id), Map.of("reason", "too short")), 400, "validation");
		assertProblem(this.admin.post(path(id), Map.of("reason", "          x         ")), 400, "validation");
		assertProblem(this.admin.post(path(id), Map.of("reason", "x".repeat(501))), 400, "validation");
		assertProblem(this.admin.post(path(id), null), 400, "validation");
		assertThat(this.admin.post(path(id), Map.of("reason", "x".repeat(10))).status()).isEqualTo(200);
		assertThat(this.admin.post(path(id), Map.of("reason", "x".repeat(500))).status()).isEqualTo(200);
	}

	@Test
	void unknownFieldIsRefused() {
		String id = newAssociation();
		Map<String, Object> body = new HashMap<>(Map.of("reason", REASON));
		body.put("ticket", "INC-4711");
		Response response = this.admin.post(path(id), body);
		assertProblem(response, 400, "validation");
		assertThat(response.body()).doesNotContain("encryptionKey");
	}

	@Test
	void unknownAssociationIsNotFound() {
		assertProblem(this.admin.post(path(UUID.randomUUID().toString()), Map.of("reason", REASON)), 404, "not-found");
	}

	@Test
	void whenTheAuditRecordCannotBeWrittenNoKeyIsRevealed() {
		String id = newAssociation();
		this.jdbc.sql("ALTER TABLE audit_head RENAME TO audit_head_off").update();
		Response response;
		try {
			response = this.admin.post(path(id), Map.of("reason", REASON));
		}
		finally {
			this.jdbc.sql("ALTER TABLE audit_head_off RENAME TO audit_head").update();
		}
		assertProblem(response, 503, "audit-unavailable");
		assertThat(response.body()).doesNotContain("encryptionKey");
		Long events = this.jdbc.sql("SELECT COUNT(*) FROM audit_event WHERE action = ? AND target = ?")
			.params("recovery-information.view", id)
			.query(Long.class)
			.single();
		assertThat(events).isZero();
	}

	private OperatorClient operator(String role) {
		return this.admin.createOperator(unique("ri-" + role).toLowerCase(Locale.ROOT), role);
	}

	private String newAssociation() {
		return this.admin.createAssociation(unique("RI-SRC"), unique("RI-DST"), "CAPTURE_ALL_RESTORE_ALL");
	}

	private static String path(String id) {
		return "/api/v1/associations/" + id + "/recovery-information";
	}

}
