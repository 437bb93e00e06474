package org.statemigration.smp.store;

import java.util.UUID;

import javax.sql.DataSource;

import org.springframework.jdbc.datasource.SimpleDriverDataSource;

/** Stranded uploads on H2, in memory, a new database for each test. */
class StrandedUploadsOnH2Tests extends StrandedUploadsTests {

	@Override
	DataSource emptyDatabase() {
		return new SimpleDriverDataSource(new org.h2.Driver(), "jdbc:h2:mem:" + UUID.randomUUID()
				+ ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1", "sa", "");
	}

}
