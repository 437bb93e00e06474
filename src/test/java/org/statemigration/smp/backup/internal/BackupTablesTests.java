package org.statemigration.smp.backup.internal;

import java.util.ArrayList;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every table the migrations create is either state, which a backup keeps, or transient, which it leaves out: a
 * migration that adds a table fails here, before a backup would refuse to run.
 */
class BackupTablesTests {

	@Test
	void everyTableOfTheSchemaIsStateOrTransient() {
		SingleConnectionDataSource dataSource = new SingleConnectionDataSource("jdbc:h2:mem:backup-tables-"
				+ System.nanoTime() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH", "sa", "",
				true);
		try {
			Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
			List<String> tables = JdbcClient.create(dataSource)
				.sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
				.query(String.class)
				.list();
			assertThat(tables).as("the schema's tables").contains("state_store", "audit_event");
			assertThat(BackupTables.unknown(tables)).as("tables neither state nor transient").isEmpty();
			List<String> named = new ArrayList<>(BackupTables.STATE);
			named.addAll(BackupTables.TRANSIENT.keySet());
			assertThat(named).as("tables named but not in the schema").allMatch(tables::contains);
		}
		finally {
			dataSource.destroy();
		}
	}

}
