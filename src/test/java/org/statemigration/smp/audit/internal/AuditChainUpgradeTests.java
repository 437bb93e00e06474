package org.statemigration.smp.audit.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditProperties;
import org.statemigration.smp.audit.AuditVerification;
import org.statemigration.smp.crypto.KeyEncryptionKeys;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database whose audit log was written before the chain was keyed: the migration keeps its plain-hash events
 * checkable, the keyed chain carries on from them, a key rotation leaves every event checkable, and tampering
 * on either side of the boundary is still found.
 */
class AuditChainUpgradeTests {

	private static final String GENESIS = "0".repeat(64);

	@TempDir
	Path temp;

	private SingleConnectionDataSource dataSource;

	private JdbcClient jdbc;

	private KeyEncryptionKeys keys;

	private AuditRepository repository;

	private ChainVerifier verifier;

	@BeforeEach
	void databaseWithAnUnkeyedLog() {
		this.dataSource = new SingleConnectionDataSource("jdbc:h2:mem:audit-upgrade-" + System.nanoTime()
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "", true);
		this.jdbc = JdbcClient.create(this.dataSource);
		Flyway.configure().dataSource(this.dataSource).locations("classpath:db/migration").target("9").load().migrate();
		String previous = GENESIS;
		Instant at = Instant.parse("2026-01-01T00:00:00Z");
		for (long seq = 1; seq <= 3; seq++) {
			String hash = AuditRepository.hash(previous, seq, at, "admin", "association.create", "a" + seq, "SUCCESS",
					null, "127.0.0.1");
			this.jdbc.sql("INSERT INTO audit_event (seq, at, actor, action, target, outcome, detail, remote_address, "
					+ "prev_hash, hash) VALUES (?, ?, 'admin', 'association.create', ?, 'SUCCESS', NULL, '127.0.0.1', ?, ?)")
				.params(seq, at.atOffset(ZoneOffset.UTC), "a" + seq, previous, hash)
				.update();
			previous = hash;
		}
		this.jdbc.sql("UPDATE audit_head SET last_seq = 3, last_hash = ?").param(previous).update();

		Flyway.configure().dataSource(this.dataSource).locations("classpath:db/migration").load().migrate();
		this.keys = KeyEncryptionKeys.loadOrCreate(this.temp.resolve("master.key"));
		AuditProperties properties = new AuditProperties(Duration.ofSeconds(2), this.temp.resolve("audit/audit.log"));
		AuditKeys auditKeys = new AuditKeys(this.keys);
		AuditFile file = new AuditFile(properties);
		this.repository = new AuditRepository(this.jdbc, new AuditHeadLock(this.jdbc, this.dataSource, properties),
				auditKeys, file);
		this.verifier = new ChainVerifier(new AuditQueries(this.jdbc), auditKeys, file);
	}

	@AfterEach
	void close() {
		this.jdbc.sql("SHUTDOWN").update();
		this.dataSource.destroy();
	}

	@Test
	void theKeyedChainCarriesOnFromTheUnkeyedOneAndSurvivesAKeyRotation() {
		append("b1");
		append("b2");
		AuditVerification result = this.verifier.verify();
		assertThat(result.valid()).as("%s", result).isTrue();
		assertThat(result.events()).isEqualTo(5);
		assertThat(result.keyedFromSeq()).isEqualTo(4);
		assertThat(result.fileEvents()).isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT key_version FROM audit_event WHERE seq = 5").query(Integer.class).single())
			.isEqualTo(1);

		this.keys.addVersion();
		append("after rotation");
		assertThat(this.jdbc.sql("SELECT key_version FROM audit_event WHERE seq = 6").query(Integer.class).single())
			.isEqualTo(2);
		assertThat(this.verifier.verify().valid()).isTrue();
	}

	@Test
	void anEditedUnkeyedEventIsStillFound() {
		append("b1");
		this.jdbc.sql("UPDATE audit_event SET target = 'elsewhere' WHERE seq = 2").update();
		AuditVerification result = this.verifier.verify();
		assertThat(result.valid()).isFalse();
		assertThat(result.firstInvalidSeq()).isEqualTo(2);
		assertThat(result.reason()).contains("hash");
	}

	@Test
	void aKeyedEventPassedOffAsUnkeyedIsFound() {
		append("b1");
		append("b2");
		this.jdbc.sql("UPDATE audit_event SET key_version = NULL WHERE seq = 5").update();
		AuditVerification result = this.verifier.verify();
		assertThat(result.valid()).isFalse();
		assertThat(result.firstInvalidSeq()).isEqualTo(5);
		assertThat(result.reason()).contains("no MAC");
	}

	@Test
	void anEventMacedWithAKeyVersionTheMasterKeyFileLacksIsFound() {
		append("b1");
		this.jdbc.sql("UPDATE audit_event SET key_version = 7 WHERE seq = 4").update();
		AuditVerification result = this.verifier.verify();
		assertThat(result.valid()).isFalse();
		assertThat(result.firstInvalidSeq()).isEqualTo(4);
		assertThat(result.reason()).contains("key version 7");
	}

	private void append(String target) {
		this.repository.appendAll(List.of(new NewAuditEvent("admin", "association.create", target,
				AuditOutcome.SUCCESS, null, "127.0.0.1", Instant.now().truncatedTo(ChronoUnit.MILLIS))));
	}

}
