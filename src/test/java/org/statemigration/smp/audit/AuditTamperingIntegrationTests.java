package org.statemigration.smp.audit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.audit.internal.AuditRepository;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;
import org.statemigration.smp.support.OnBothDatabases;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What someone with write access to the database alone can try on the audit log, done through JDBC as such an
 * attacker would, and what verification says about it: a row forged past the head, the newest events deleted with
 * the head rewritten, the whole log wiped with the head reset, the chain rewritten with plain hashes. Every
 * tampering is undone before the test ends, because the server and its database are shared with the other test
 * classes.
 */
@IntegrationTest
@OnBothDatabases
class AuditTamperingIntegrationTests extends AdminApiTestSupport {

	private static final String COLUMNS = "seq, at, actor, action, target, outcome, detail, remote_address, prev_hash, "
			+ "hash, key_version";

	@Autowired
	JdbcClient jdbc;

	@Value("${smp.audit.file}")
	Path auditFile;

	@Test
	void aRowForgedPastTheHeadIsReportedHiddenFromTheListingAndDoesNotBlockTheLog() {
		this.admin.createAssociation(unique("FORGE-SRC"), unique("FORGE-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Map<String, Object> head = head();
		long forged = (Long) head.get("last_seq") + 1;
		try {
			this.jdbc.sql("INSERT INTO audit_event (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				.params(forged, OffsetDateTime.now(), "forger", "association.delete", "nothing", "SUCCESS", null,
						"127.0.0.1", head.get("last_hash"), "ab".repeat(32), 1)
				.update();
			JsonNode result = verify();
			assertThat(result.path("valid").asBoolean()).isFalse();
			assertThat(result.path("firstInvalidSeq").asLong()).isEqualTo(forged);
			assertThat(result.path("reason").asString()).contains("past the head");
			assertThat(this.admin.get("/api/v1/audit?actor=forger").json().path("total").asLong()).isZero();
			assertThat(this.admin.get("/api/v1/audit?size=1").json().path("items").get(0).path("seq").asLong())
				.isEqualTo(forged - 1);

			String id = this.admin.createAssociation(unique("AFTER-SRC"), unique("AFTER-DST"), "CAPTURE_ALL_RESTORE_ALL");
			JsonNode newest = this.admin.get("/api/v1/audit?size=1").json().path("items").get(0);
			assertThat(newest.path("seq").asLong()).isEqualTo(forged);
			assertThat(newest.path("target").asString()).isEqualTo(id);
			result = verify();
			assertThat(result.path("valid").asBoolean()).isFalse();
			assertThat(result.path("firstInvalidSeq").asLong()).isEqualTo(forged);
			assertThat(result.path("reason").asString()).contains("set aside");
		}
		finally {
			this.jdbc.sql("DELETE FROM audit_event WHERE actor = 'forger'").update();
			this.jdbc.sql("DELETE FROM audit_event_orphan WHERE actor = 'forger'").update();
		}
		assertVerified();
	}

	@Test
	void deletingTheNewestEventsAndRewritingTheHeadIsCaughtByTheAuditFile() {
		for (int i = 0; i < 3; i++) {
			this.admin.createAssociation(unique("TAIL-SRC"), unique("TAIL-DST"), "CAPTURE_ALL_RESTORE_ALL");
		}
		Map<String, Object> head = head();
		long last = (Long) head.get("last_seq");
		List<Map<String, Object>> tail = rowsFrom(last - 2);
		String olderHash = this.jdbc.sql("SELECT hash FROM audit_event WHERE seq = ?").param(last - 3)
			.query(String.class)
			.single();
		try {
			this.jdbc.sql("DELETE FROM audit_event WHERE seq > ?").param(last - 3).update();
			this.jdbc.sql("UPDATE audit_head SET last_seq = ?, last_hash = ?").params(last - 3, olderHash).update();
			JsonNode result = verify();
			assertThat(result.path("valid").asBoolean()).as("%s", result).isFalse();
			assertThat(result.path("events").asLong()).isEqualTo(last - 3);
			assertThat(result.path("firstInvalidSeq").asLong()).isEqualTo(last - 2);
			assertThat(result.path("reason").asString()).contains("audit file");
		}
		finally {
			restore(last - 2, tail, head);
		}
		assertVerified();
	}

	@Test
	void wipingTheWholeLogAndResettingTheHeadIsCaughtByTheAuditFile() {
		this.admin.createAssociation(unique("WIPE-SRC"), unique("WIPE-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Map<String, Object> head = head();
		List<Map<String, Object>> all = rowsFrom(1);
		try {
			this.jdbc.sql("DELETE FROM audit_event").update();
			this.jdbc.sql("UPDATE audit_head SET last_seq = 0, last_hash = ?").param("0".repeat(64)).update();
			JsonNode result = verify();
			assertThat(result.path("valid").asBoolean()).as("%s", result).isFalse();
			assertThat(result.path("events").asLong()).isZero();
			assertThat(result.path("firstInvalidSeq").asLong()).isEqualTo(1);
			assertThat(this.admin.get("/api/v1/audit").json().path("total").asLong()).isZero();
		}
		finally {
			restore(1, all, head);
		}
		assertVerified();
	}

	@Test
	void rewritingTheChainWithPlainHashesIsCaughtByTheMacAndADowngradeByTheAuditFile() {
		this.admin.createAssociation(unique("REWRITE-SRC"), unique("REWRITE-DST"), "CAPTURE_ALL_RESTORE_ALL");
		this.admin.createAssociation(unique("REWRITE-SRC"), unique("REWRITE-DST"), "CAPTURE_ALL_RESTORE_ALL");
		Map<String, Object> head = head();
		long last = (Long) head.get("last_seq");
		List<Map<String, Object>> tail = rowsFrom(last - 1);
		try {
			// what the chain's format alone lets one do: edit an event, then recompute every hash after it
			rewriteWithPlainHashes(last - 1, true);
			JsonNode result = verify();
			assertThat(result.path("valid").asBoolean()).isFalse();
			assertThat(result.path("firstInvalidSeq").asLong()).isEqualTo(last - 1);
			assertThat(result.path("reason").asString()).contains("MAC");

			// and passing the rewritten events off as the unkeyed chain of an older version
			rewriteWithPlainHashes(last - 1, false);
			this.jdbc.sql("UPDATE audit_head SET keyed_from_seq = ?").param(last + 1).update();
			result = verify();
			assertThat(result.path("valid").asBoolean()).as("%s", result).isFalse();
			assertThat(result.path("firstInvalidSeq").asLong()).isEqualTo(last - 1);
			assertThat(result.path("reason").asString()).contains("audit file");
		}
		finally {
			restore(last - 1, tail, head);
		}
		assertVerified();
	}

	@Test
	void theAuditFileIsOwnerOnlyAndHoldsEveryEventWithItsMacButNoDetail() throws Exception {
		this.admin.createAssociation(unique("FILE-SRC"), unique("FILE-DST"), "CAPTURE_ALL_RESTORE_ALL");
		assertThat(Files.exists(this.auditFile)).isTrue();
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.auditFile))).isEqualTo("rw-------");
		long head = (Long) head().get("last_seq");
		String lastLine = Files.readAllLines(this.auditFile).stream().reduce((a, b) -> b).orElseThrow();
		String mac = this.jdbc.sql("SELECT hash FROM audit_event WHERE seq = ?").param(head).query(String.class).single();
		assertThat(lastLine).contains("\"seq\":" + head, "\"mac\":\"" + mac + "\"").doesNotContain("detail");
		JsonNode result = verify();
		assertThat(result.path("valid").asBoolean()).isTrue();
		assertThat(result.path("fileEvents").asLong()).isPositive();
		assertThat(result.path("keyedFromSeq").asLong()).isEqualTo(1);
	}

	private void rewriteWithPlainHashes(long from, boolean keepKeyVersion) {
		String previous = this.jdbc.sql("SELECT hash FROM audit_event WHERE seq = ?").param(from - 1)
			.query(String.class)
			.single();
		for (Map<String, Object> row : rowsFrom(from)) {
			long seq = ((Number) row.get("seq")).longValue();
			String detail = (seq == from) ? "nothing to see" : (String) row.get("detail");
			Instant at = ((OffsetDateTime) this.jdbc.sql("SELECT at FROM audit_event WHERE seq = ?").param(seq)
				.query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
				.single()).toInstant();
			String hash = AuditRepository.hash(previous, seq, at, (String) row.get("actor"), (String) row.get("action"),
					(String) row.get("target"), (String) row.get("outcome"), detail, (String) row.get("remote_address"));
			this.jdbc.sql("UPDATE audit_event SET detail = ?, prev_hash = ?, hash = ?, key_version = "
					+ (keepKeyVersion ? "key_version" : "NULL") + " WHERE seq = ?")
				.params(detail, previous, hash, seq)
				.update();
			previous = hash;
		}
		this.jdbc.sql("UPDATE audit_head SET last_hash = ?").param(previous).update();
	}

	private Map<String, Object> head() {
		return this.jdbc.sql("SELECT last_seq, last_hash, keyed_from_seq FROM audit_head WHERE id = 1").query().singleRow();
	}

	private List<Map<String, Object>> rowsFrom(long seq) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM audit_event WHERE seq >= ? ORDER BY seq").param(seq)
			.query()
			.listOfRows();
	}

	private void restore(long from, List<Map<String, Object>> rows, Map<String, Object> head) {
		this.jdbc.sql("DELETE FROM audit_event WHERE seq >= ?").param(from).update();
		for (Map<String, Object> row : rows) {
			this.jdbc.sql("INSERT INTO audit_event (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				.params(row.get("seq"), row.get("at"), row.get("actor"), row.get("action"), row.get("target"),
						row.get("outcome"), row.get("detail"), row.get("remote_address"), row.get("prev_hash"),
						row.get("hash"), row.get("key_version"))
				.update();
		}
		this.jdbc.sql("UPDATE audit_head SET last_seq = ?, last_hash = ?, keyed_from_seq = ? WHERE id = 1")
			.params(head.get("last_seq"), head.get("last_hash"), head.get("keyed_from_seq"))
			.update();
	}

	private JsonNode verify() {
		return this.admin.get("/api/v1/audit/verify").json();
	}

	private void assertVerified() {
		JsonNode result = verify();
		assertThat(result.path("valid").asBoolean()).as("chain valid: %s", result).isTrue();
		assertThat(result.path("firstInvalidSeq").isNull()).isTrue();
		assertThat(result.path("reason").isNull()).isTrue();
	}

}
