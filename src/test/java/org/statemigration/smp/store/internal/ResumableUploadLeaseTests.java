package org.statemigration.smp.store.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lease that keeps two servers from writing one resumable upload at once: one holder at a time, the offset
 * must be the expected one, a holder gives back only its own lease, and a lease that ran out can be taken over.
 */
class ResumableUploadLeaseTests {

	private static final String ONE = "server-one";

	private static final String TWO = "server-two";

	private final Instant now = Instant.now();

	private ResumableUploadRepository uploads;

	private UUID upload;

	@BeforeEach
	void prepare() {
		DataSource database = new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
		Flyway.configure().dataSource(database).locations("classpath:db/migration").load().migrate();
		JdbcClient jdbc = JdbcClient.create(database);
		this.uploads = new ResumableUploadRepository(jdbc);
		this.upload = UUID.randomUUID();
		UUID association = UUID.randomUUID();
		jdbc.sql("""
				INSERT INTO state_store (id, association_id, version, folder, file_name, status, node_id, created_at)
				VALUES (?, ?, 1, '/stores', 'x.smp', 'UPLOADING', ?, ?)""")
			.params(this.upload, association, ONE, OffsetDateTime.now())
			.update();
		this.uploads.insert(this.upload, association, 10_000, null, this.now);
	}

	@Test
	void oneRequestAtATimeHoldsTheLease() {
		assertThat(this.uploads.lease(this.upload, 0, ONE, this.now, later(15))).isTrue();
		assertThat(this.uploads.lease(this.upload, 0, TWO, this.now, later(15))).isFalse();
		this.uploads.release(this.upload, TWO);
		assertThat(this.uploads.lease(this.upload, 0, TWO, this.now, later(15))).as("another server cannot give it back")
			.isFalse();
		this.uploads.release(this.upload, ONE);
		assertThat(this.uploads.lease(this.upload, 0, TWO, this.now, later(15))).isTrue();
	}

	@Test
	void movingTheOffsetGivesTheLeaseBackAndOnlyTheNewOffsetCanBeLeased() {
		assertThat(this.uploads.lease(this.upload, 0, ONE, this.now, later(15))).isTrue();
		assertThat(this.uploads.advance(this.upload, 0, 4096)).isTrue();
		assertThat(this.uploads.advance(this.upload, 0, 8192)).as("from a stale offset").isFalse();
		assertThat(this.uploads.lease(this.upload, 0, TWO, this.now, later(15))).isFalse();
		assertThat(this.uploads.lease(this.upload, 4096, TWO, this.now, later(15))).isTrue();
		assertThat(this.uploads.find(this.upload)).hasValueSatisfying((row) -> assertThat(row.offset()).isEqualTo(4096));
	}

	@Test
	void aLeaseThatRanOutOrWhoseServerRestartedCanBeTaken() {
		assertThat(this.uploads.lease(this.upload, 0, ONE, this.now, later(15))).isTrue();
		assertThat(this.uploads.lease(this.upload, 0, TWO, later(16), later(31))).isTrue();
		assertThat(this.uploads.releaseLeasesOf(TWO)).isOne();
		assertThat(this.uploads.lease(this.upload, 0, ONE, this.now, later(15))).isTrue();
	}

	private Instant later(long minutes) {
		return this.now.plus(Duration.ofMinutes(minutes));
	}

}
