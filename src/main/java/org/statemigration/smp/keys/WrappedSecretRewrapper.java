package org.statemigration.smp.keys;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.WrappedSecretColumn;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Walks a column of wrapped secrets in pages, ordered by id, so memory and lock times stay small however many
 * rows there are. Each re-wrapped row is its own short transaction (auto-commit), and is written only if the
 * secret is still the one read: a secret shredded or replaced meanwhile is left alone.
 */
@Component
class WrappedSecretRewrapper {

	static final int PAGE_SIZE = 200;

	private final JdbcClient jdbc;

	private final KeyEncryptionKeys keys;

	WrappedSecretRewrapper(JdbcClient jdbc, KeyEncryptionKeys keys) {
		this.jdbc = jdbc;
		this.keys = keys;
	}

	/**
	 * Re-wraps every secret of the column not yet wrapped by the current key version.
	 * @return how many were re-wrapped
	 */
	int rewrap(WrappedSecretColumn column) {
		int current = this.keys.currentVersion();
		int[] count = { 0 };
		forEach(column, (row) -> {
			if (KeyEncryptionKeys.versionOf(row.wrapped()) != current && replace(column, row)) {
				count[0]++;
			}
		});
		return count[0];
	}

	/** How many secrets of the column each key version wraps. */
	Map<Integer, Integer> countByVersion(WrappedSecretColumn column) {
		Map<Integer, Integer> counts = new TreeMap<>();
		forEach(column, (row) -> counts.merge(KeyEncryptionKeys.versionOf(row.wrapped()), 1, Integer::sum));
		return counts;
	}

	private boolean replace(WrappedSecretColumn column, Row row) {
		byte[] rewrapped = this.keys.rewrap(row.wrapped(), column.context().apply(row.id()));
		return this.jdbc
			.sql("UPDATE " + column.table() + " SET " + column.wrappedColumn() + " = ? WHERE " + column.idColumn()
					+ " = ? AND " + column.wrappedColumn() + " = ?")
			.params(rewrapped, row.id(), row.wrapped())
			.update() == 1;
	}

	private void forEach(WrappedSecretColumn column, Consumer<Row> action) {
		List<Row> page = firstPage(column);
		while (!page.isEmpty()) {
			page.forEach(action);
			page = (page.size() < PAGE_SIZE) ? List.of() : pageAfter(column, page.get(page.size() - 1).id());
		}
	}

	private List<Row> firstPage(WrappedSecretColumn column) {
		return this.jdbc.sql(select(column, "")).query(this::row).list();
	}

	private List<Row> pageAfter(WrappedSecretColumn column, Object lastId) {
		return this.jdbc.sql(select(column, " AND " + column.idColumn() + " > ?")).param(lastId).query(this::row).list();
	}

	private static String select(WrappedSecretColumn column, String after) {
		return "SELECT " + column.idColumn() + ", " + column.wrappedColumn() + " FROM " + column.table() + " WHERE "
				+ column.wrappedColumn() + " IS NOT NULL" + after + " ORDER BY " + column.idColumn()
				+ " FETCH FIRST " + PAGE_SIZE + " ROWS ONLY";
	}

	private Row row(java.sql.ResultSet rs, int rowNum) throws java.sql.SQLException {
		return new Row(rs.getObject(1), rs.getBytes(2));
	}

	private record Row(Object id, byte[] wrapped) {
	}

}
