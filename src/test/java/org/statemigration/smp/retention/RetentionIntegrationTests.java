package org.statemigration.smp.retention;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.ComputerClient.Grant;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.TestClock;
import org.statemigration.smp.support.TestServer.Response;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention as an operator sees it: restored data goes once its delete-after delay has passed, with its key
 * destroyed and its file removed; data that was not restored, or is under legal hold, stays however long it
 * waits; the records of deleted associations go once they have aged out. The server's clock is moved forward
 * instead of waiting, and each test runs a pass itself. Runs on H2 and on PostgreSQL.
 */
@IntegrationTest
@OnBothDatabases
class RetentionIntegrationTests extends AdminApiTestSupport {

	@Autowired
	RetentionJob retention;

	@Autowired
	TestClock clock;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void shortDeleteAfter() {
		assertThat(this.admin.patch("/api/v1/settings", "{\"deleteAfter\":\"PT1H\"}").status()).isEqualTo(200);
	}

	@AfterEach
	void restoreSettingsAndClock() {
		this.clock.reset();
		assertThat(this.admin.patch("/api/v1/settings", "{\"deleteAfter\":\"P1D\"}").status()).isEqualTo(200);
	}

	@Test
	void deletesRestoredDataOnceTheDeleteAfterDelayHasPassed() {
		Restored restored = restored();
		var association = this.admin.association(restored.id());
		assertThat(association.path("state").asString()).isEqualTo("RESTORED");
		assertThat(Duration.between(java.time.Instant.parse(association.path("restoredAt").asString()),
				java.time.Instant.parse(association.path("deleteAt").asString()))).isEqualTo(Duration.ofHours(1));
		StoreRow before = store(restored.id());
		assertThat(before.file()).exists();

		this.retention.runOnce();
		assertThat(state(restored.id())).as("before the delay has passed").isEqualTo("RESTORED");
		assertThat(store(restored.id()).keyPresent()).isTrue();

		this.clock.advance(Duration.ofHours(1).plusSeconds(1));
		this.retention.runOnce();
		assertThat(state(restored.id())).isEqualTo("DELETED");
		StoreRow after = store(restored.id());
		assertThat(after.keyPresent()).as("data key shredded").isFalse();
		assertThat(after.status()).isEqualTo("DELETED");
		assertThat(before.file()).doesNotExist();
		assertThat(restored.destinationRestores().problem()).isEqualTo("invalid-state");
	}

	@Test
	void neverDeletesDataThatWasNotRestored() {
		Captured captured = captured(randomBytes(4000));
		Captured restoring = captured(randomBytes(5000));
		restoring.destination().request("RESTORE");
		assertThat(state(captured.associationId())).isEqualTo("CAPTURED");
		assertThat(state(restoring.associationId())).isEqualTo("RESTORING");

		this.clock.advance(Duration.ofDays(400));
		this.retention.runOnce();

		for (String id : new String[] { captured.associationId(), restoring.associationId() }) {
			assertThat(state(id)).isIn("CAPTURED", "RESTORING");
			StoreRow store = store(id);
			assertThat(store.status()).isEqualTo("COMMITTED");
			assertThat(store.keyPresent()).isTrue();
			assertThat(store.file()).exists();
		}
		assertThat(state(captured.associationId())).isEqualTo("CAPTURED");
		assertThat(state(restoring.associationId())).isEqualTo("RESTORING");
	}

	@Test
	void legalHoldKeepsRestoredDataUntilItIsLifted() {
		Restored restored = restored();
		assertThat(this.admin.put(holdPath(restored.id()), Map.of("hold", true, "reason", "Pending investigation"))
			.status()).isEqualTo(200);

		this.clock.advance(Duration.ofDays(90));
		this.retention.runOnce();
		assertThat(state(restored.id())).isEqualTo("RESTORED");
		assertThat(store(restored.id()).keyPresent()).isTrue();
		assertThat(store(restored.id()).file()).exists();

		assertThat(this.admin.put(holdPath(restored.id()), Map.of("hold", false, "reason", "Investigation closed"))
			.status()).isEqualTo(200);
		this.retention.runOnce();
		assertThat(state(restored.id())).isEqualTo("DELETED");
		assertThat(store(restored.id()).keyPresent()).isFalse();
		assertThat(store(restored.id()).file()).doesNotExist();
	}

	@Test
	void removesAssociationRecordsOnceTheyHaveAgedOutUnlessHeld() {
		Restored aged = restored();
		Restored held = restored();
		this.clock.advance(Duration.ofHours(1).plusSeconds(1));
		this.retention.runOnce();
		assertThat(state(aged.id())).isEqualTo("DELETED");
		assertThat(state(held.id())).isEqualTo("DELETED");
		assertThat(this.admin.put(holdPath(held.id()), Map.of("hold", true, "reason", "Keep the record")).status())
			.isEqualTo(200);

		this.clock.advance(Duration.ofDays(29));
		this.retention.runOnce();
		assertThat(state(aged.id())).as("before delete-associations-after (P30D)").isEqualTo("DELETED");

		this.clock.advance(Duration.ofDays(2));
		RetentionPass pass = this.retention.runOnce();
		assertThat(pass.associations()).isGreaterThanOrEqualTo(1);
		assertThat(this.admin.get("/api/v1/associations/" + aged.id()).status()).isEqualTo(404);
		assertThat(versions(aged.id())).isZero();
		assertThat(state(held.id())).isEqualTo("DELETED");
		assertThat(versions(held.id())).isEqualTo(1);
	}

	@Test
	void discardsAnUploadIdleLongerThanTheUploadExpiry() throws Exception {
		try (StalledUpload upload = StalledUpload.start(enrolledComputer("IDLE"), this.jdbc)) {
			assertThat(reservationsFor(upload.storeId())).isEqualTo(1);

			this.clock.advance(uploadExpiry().minusMinutes(1));
			this.retention.runOnce();
			assertThat(upload.part()).as("not idle long enough yet").exists();
			assertThat(uploadingRow(upload.storeId())).isPresent();

			this.clock.advance(Duration.ofMinutes(2));
			RetentionPass pass = this.retention.runOnce();
			assertThat(pass.uploads()).isGreaterThanOrEqualTo(1);
			assertThat(reservationsFor(upload.storeId())).isZero();
			assertThat(uploadingRow(upload.storeId())).isEmpty();
			assertThat(upload.part()).doesNotExist();
		}
	}

	@Test
	void discardsAnUploadThatNoReservationKeepsAlive() throws Exception {
		try (StalledUpload upload = StalledUpload.start(enrolledComputer("ORPHAN"), this.jdbc)) {
			// as left behind by a server that lost its reservations, e.g. one restarted with another node id
			this.jdbc.sql("DELETE FROM storage_reservation WHERE store_id = ?").param(upload.storeId()).update();

			this.clock.advance(uploadExpiry().plusMinutes(1));
			RetentionPass pass = this.retention.runOnce();
			assertThat(pass.uploads()).isGreaterThanOrEqualTo(1);
			assertThat(uploadingRow(upload.storeId())).isEmpty();
			assertThat(upload.part()).doesNotExist();
		}
	}

	Duration uploadExpiry() {
		return Duration.parse(this.admin.get("/api/v1/settings").json().path("uploadExpiry").asString());
	}

	long reservationsFor(UUID storeId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM storage_reservation WHERE store_id = ?")
			.param(storeId)
			.query(Long.class)
			.single();
	}

	Optional<String> uploadingRow(UUID storeId) {
		return this.jdbc.sql("SELECT status FROM state_store WHERE id = ? AND status = 'UPLOADING'")
			.param(storeId)
			.query(String.class)
			.optional();
	}

	/** An association whose data was captured, restored and whose restore was confirmed. */
	Restored restored() {
		Captured captured = captured(randomBytes(3000));
		Grant restore = captured.destination().request("RESTORE");
		assertThat(captured.destination().download(restore.storeUrl(), restore.token(), null).statusCode())
			.isEqualTo(200);
		assertThat(captured.destination().release(restore.token(), true).status()).isEqualTo(200);
		return new Restored(captured);
	}

	String state(String id) {
		return this.admin.association(id).path("state").asString();
	}

	StoreRow store(String associationId) {
		return this.jdbc.sql("""
				SELECT folder, file_name, status, data_key_wrapped FROM state_store WHERE association_id = ?
				ORDER BY version DESC FETCH FIRST 1 ROWS ONLY""")
			.param(UUID.fromString(associationId))
			.query((rs, row) -> new StoreRow(
					Path.of(rs.getString("folder"), associationId, rs.getString("file_name")), rs.getString("status"),
					rs.getBytes("data_key_wrapped") != null))
			.single();
	}

	long versions(String associationId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM state_store WHERE association_id = ?")
			.param(UUID.fromString(associationId))
			.query(Long.class)
			.single();
	}

	static String holdPath(String id) {
		return "/api/v1/associations/" + id + "/legal-hold";
	}

	static byte[] randomBytes(int size) {
		byte[] data = new byte[size];
		new Random(size).nextBytes(data);
		return data;
	}

	record StoreRow(Path file, String status, boolean keyPresent) {
	}

	record Restored(Captured captured) {

		String id() {
			return this.captured.associationId();
		}

		Response destinationRestores() {
			return this.captured.destination().requestStateStore("RESTORE");
		}

	}

}
