package org.statemigration.smp.recovery;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/v1/associations/{id}/reassign}: a recovery viewer (or an administrator) moves an association to
 * a new destination; the old destination's tokens stop working at once and the new one restores the data. Runs on
 * H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class ReassignmentApiIntegrationTests extends AdminApiTestSupport {

	private static final String REASON = "Replacement laptop after hardware failure";

	@Autowired
	JdbcClient jdbc;

	@Test
	void oldDestinationIsLockedOutAndNewOneRestoresTheData() {
		byte[] data = "the user's documents and settings".repeat(1000).getBytes(StandardCharsets.UTF_8);
		Captured captured = captured(data);
		Grant oldRestore = captured.destination().request("RESTORE");
		String newName = unique("NEW-DST");

		Response response = operator("RECOVERY_VIEWER").post(path(captured.associationId()),
				Map.of("destinationComputer", newName, "reason", REASON));

		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().path("id").asString()).isEqualTo(captured.associationId());
		assertThat(response.json().path("destinationComputer").asString()).isEqualTo(newName);
		assertThat(response.json().path("migrationType").asString()).isEqualTo("SIDE_BY_SIDE");
		assertThat(captured.destination().download(oldRestore.storeUrl(), oldRestore.token(), null).statusCode())
			.isEqualTo(403);
		assertThat(captured.destination().release(oldRestore.token(), true).status()).isEqualTo(403);
		assertThat(captured.destination().requestStateStore("RESTORE").status()).isNotEqualTo(200);

		ComputerClient newDestination = this.server.computer(newName);
		assertThat(newDestination.enroll(this.admin.enrollmentCode(newName)).status()).isEqualTo(201);
		Grant restore = newDestination.request("RESTORE");
		assertThat(restore.associationId()).isEqualTo(captured.associationId());
		assertThat(restore.encryptionKey()).isEqualTo(oldRestore.encryptionKey());
		HttpResponse<byte[]> download = newDestination.download(restore.storeUrl(), restore.token(), null);
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.body()).isEqualTo(data);
		assertThat(newDestination.release(restore.token(), true).status()).isEqualTo(200);
		assertThat(this.admin.association(captured.associationId()).path("state").asString()).isEqualTo("RESTORED");
	}

	@Test
	void reassignmentIsAuditedWithOldAndNewDestinationAndTheReason() {
		String source = unique("RA-SRC");
		String oldName = unique("RA-DST");
		String id = this.admin.createAssociation(source, oldName, "CAPTURE_ALL_RESTORE_ALL");
		String newName = unique("RA-NEW");
		assertThat(this.admin.post(path(id), Map.of("destinationComputer", newName, "reason", REASON)).status())
			.isEqualTo(200);
		String detail = this.jdbc.sql("SELECT detail FROM audit_event WHERE action = ? AND target = ?")
			.params("association.reassign", id)
			.query(String.class)
			.single();
		assertThat(detail).contains(oldName + " -> " + newName).contains(REASON);
	}

	@Test
	void reassigningToTheSourceMakesItInPlace() {
		String source = unique("RA-SRC");
		String id = this.admin.createAssociation(source, unique("RA-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Response response = this.admin.post(path(id), Map.of("destinationComputer", source, "reason", REASON));
		assertThat(response.status()).as(response.body()).isEqualTo(200);
		assertThat(response.json().path("migrationType").asString()).isEqualTo("IN_PLACE");
		assertThat(response.json().path("destinationComputer").asString()).isEqualTo(source);
	}

	@Test
	void anonymousCallerIsUnauthorized() {
		String id = newAssociation();
		String before = destination(id);
		assertProblem(this.server.anonymous().post(path(id), body(unique("RA-NEW"))), 401, "unauthorized");
		assertThat(destination(id)).isEqualTo(before);
	}

	@Test
	void osdManagerAndAuditorAreForbidden() {
		String id = newAssociation();
		String before = destination(id);
		for (String role : new String[] { "OSD_MANAGER", "AUDITOR" }) {
			assertProblem(operator(role).post(path(id), body(unique("RA-NEW"))), 403, "forbidden");
		}
		assertThat(destination(id)).isEqualTo(before);
	}

	@Test
	void recoveryViewerAndAdminAreAllowed() {
		String id = newAssociation();
		assertThat(operator("RECOVERY_VIEWER").post(path(id), body(unique("RA-NEW"))).status()).isEqualTo(200);
		assertThat(this.admin.post(path(id), body(unique("RA-NEW"))).status()).isEqualTo(200);
	}

	@Test
	void invalidNameOrReasonIsRefused() {
		String id = newAssociation();
		String before = destination(id);
		assertProblem(this.admin.post(path(id), Map.of("destinationComputer", "not a name!", "reason", REASON)), 400,
				"validation");
		assertProblem(this.admin.post(path(id), Map.of("reason", REASON)), 400, "validation");
		assertProblem(this.admin.post(path(id), Map.of("destinationComputer", unique("RA-NEW"))), 400, "validation");
		assertProblem(this.admin.post(path(id), Map.of("destinationComputer", unique("RA-NEW"), "reason", "short")),
				400, "validation");
		assertProblem(this.admin.post(path(id),
				Map.of("destinationComputer", unique("RA-NEW"), "reason", "x".repeat(501))), 400, "validation");
		Map<String, Object> unknownField = new HashMap<>(body(unique("RA-NEW")));
		unknownField.put("force", true);
		assertProblem(this.admin.post(path(id), unknownField), 400, "validation");
		assertThat(destination(id)).isEqualTo(before);
	}

	@Test
	void unknownAssociationIsNotFound() {
		assertProblem(this.admin.post(path(UUID.randomUUID().toString()), body(unique("RA-NEW"))), 404, "not-found");
	}

	@Test
	void associationWhoseDataWasDeletedCannotBeReassigned() {
		String id = newAssociation();
		String before = destination(id);
		this.jdbc.sql("UPDATE computer_association SET state = 'DELETED' WHERE id = ?")
			.param(UUID.fromString(id))
			.update();
		assertProblem(this.admin.post(path(id), body(unique("RA-NEW"))), 409, "invalid-state");
		assertThat(destination(id)).isEqualTo(before);
	}

	@Test
	void whenTheAuditRecordCannotBeWrittenTheDestinationStaysTheSame() {
		String id = newAssociation();
		String before = destination(id);
		this.jdbc.sql("ALTER TABLE audit_head RENAME TO audit_head_off").update();
		Response response;
		try {
			response = this.admin.post(path(id), body(unique("RA-NEW")));
		}
		finally {
			this.jdbc.sql("ALTER TABLE audit_head_off RENAME TO audit_head").update();
		}
		assertProblem(response, 503, "audit-unavailable");
		assertThat(destination(id)).isEqualTo(before);
	}

	private String destination(String id) {
		return this.admin.association(id).path("destinationComputer").asString();
	}

	private OperatorClient operator(String role) {
		return this.admin.createOperator(unique("ra-" + role).toLowerCase(Locale.ROOT), role);
	}

	private String newAssociation() {
		return this.admin.createAssociation(unique("RA-SRC"), unique("RA-DST"), "CAPTURE_ALL_RESTORE_ALL");
	}

	private static Map<String, Object> body(String destination) {
		return Map.of("destinationComputer", destination, "reason", REASON);
	}

	private static String path(String id) {
		return "/api/v1/associations/" + id + "/reassign";
	}

}
