package org.statemigration.smp.keys;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.WrappedSecretColumn;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Re-wrapping a column of secrets over several pages: every secret ends on the current version and unwraps to the
 * same bytes; shredded rows stay empty.
 */
class WrappedSecretRewrapperTests {

	private static final int ROWS = WrappedSecretRewrapper.PAGE_SIZE * 2 + 7;

	@TempDir
	Path temp;

	private JdbcClient jdbc;

	private KeyEncryptionKeys keys;

	private WrappedSecretColumn column;

	private WrappedSecretRewrapper rewrapper;

	@BeforeEach
	void createTable() {
		this.jdbc = JdbcClient.create(new DriverManagerDataSource(
				"jdbc:h2:mem:" + UUID.randomUUID() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1", "sa", ""));
		this.jdbc.sql("CREATE TABLE secret (id UUID PRIMARY KEY, wrapped BYTEA)").update();
		this.keys = KeyEncryptionKeys.loadOrCreate(this.temp.resolve("master.key"));
		this.column = new WrappedSecretColumn("secrets", "secret", "id", "wrapped", (id) -> "secret:" + id);
		this.rewrapper = new WrappedSecretRewrapper(this.jdbc, this.keys);
		for (int i = 0; i < ROWS; i++) {
			UUID id = UUID.randomUUID();
			if (i % 50 == 0) {
				this.jdbc.sql("INSERT INTO secret (id, wrapped) VALUES (?, NULL)").param(id).update();
			}
			else {
				this.jdbc.sql("INSERT INTO secret (id, wrapped) VALUES (?, ?)")
					.params(id, this.keys.wrap(secret(id), "secret:" + id))
					.update();
			}
		}
	}

	@Test
	void rewrapsEverySecretAcrossPagesAndSkipsShreddedRows() {
		int shredded = (ROWS + 49) / 50;
		assertThat(this.rewrapper.countByVersion(this.column)).isEqualTo(Map.of(1, ROWS - shredded));

		this.keys.addVersion();
		assertThat(this.rewrapper.rewrap(this.column)).isEqualTo(ROWS - shredded);

		assertThat(this.rewrapper.countByVersion(this.column)).isEqualTo(Map.of(2, ROWS - shredded));
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM secret WHERE wrapped IS NULL").query(Integer.class).single())
			.isEqualTo(shredded);
		this.jdbc.sql("SELECT id, wrapped FROM secret WHERE wrapped IS NOT NULL").query((rs, row) -> {
			UUID id = rs.getObject(1, UUID.class);
			assertThat(this.keys.unwrap(rs.getBytes(2), "secret:" + id)).isEqualTo(secret(id));
			return id;
		}).list();
	}

	@Test
	void secondRunFindsNothingLeftToRewrap() {
		this.keys.addVersion();
		this.rewrapper.rewrap(this.column);
		assertThat(this.rewrapper.rewrap(this.column)).isZero();
	}

	private static byte[] secret(UUID id) {
		return ByteBuffer.allocate(32).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
	}

}
