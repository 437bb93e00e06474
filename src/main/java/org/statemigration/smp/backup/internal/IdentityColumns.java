package org.statemigration.smp.backup.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Moves the identity columns of loaded tables past the ids loaded into them: rows are loaded with their ids, which
 * leaves each column's sequence where it started, and the next row inserted would take an id that is already
 * there. {@code ALTER TABLE ... ALTER COLUMN ... RESTART WITH} means the same on H2 and PostgreSQL; on H2 it commits,
 * so it runs after the load's transaction.
 */
final class IdentityColumns {

	private IdentityColumns() {
	}

	static void movePast(Connection connection, List<String> tables) throws SQLException {
		List<String[]> columns = new ArrayList<>();
		try (PreparedStatement query = connection.prepareStatement("SELECT table_name, column_name FROM "
				+ "information_schema.columns WHERE table_schema = CURRENT_SCHEMA AND is_identity = 'YES'");
				ResultSet rows = query.executeQuery()) {
			while (rows.next()) {
				String table = rows.getString(1).toLowerCase(Locale.ROOT);
				if (tables.contains(table)) {
					columns.add(new String[] { table, rows.getString(2).toLowerCase(Locale.ROOT) });
				}
			}
		}
		for (String[] column : columns) {
			long next;
			try (PreparedStatement query = connection
				.prepareStatement("SELECT COALESCE(MAX(" + column[1] + "), 0) + 1 FROM " + column[0]);
					ResultSet rows = query.executeQuery()) {
				rows.next();
				next = rows.getLong(1);
			}
			try (PreparedStatement alter = connection.prepareStatement(
					"ALTER TABLE " + column[0] + " ALTER COLUMN " + column[1] + " RESTART WITH " + next)) {
				alter.execute();
			}
		}
	}

}
