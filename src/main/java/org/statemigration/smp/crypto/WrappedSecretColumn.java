package org.statemigration.smp.crypto;

import java.util.Objects;
import java.util.function.Function;

/**
 * Where secrets wrapped by the {@link KeyEncryptionKeys} are kept in the database: one column of one table, its
 * rows named by an id column, each secret wrapped with a context derived from the row's id. The module that owns
 * the table declares it as a bean, so that key rotation can re-wrap every secret without knowing the modules.
 *
 * @param description what the secrets are, in the plural, for summaries (e.g. {@code "data keys"})
 * @param table the table
 * @param idColumn the primary key column
 * @param wrappedColumn the column holding the wrapped secret; {@code NULL} means no secret (crypto-shredded)
 * @param context the wrapping context of the row with this id (the id as read from the database)
 */
public record WrappedSecretColumn(String description, String table, String idColumn, String wrappedColumn,
		Function<Object, String> context) {

	public WrappedSecretColumn {
		Objects.requireNonNull(description, "description");
		Objects.requireNonNull(table, "table");
		Objects.requireNonNull(idColumn, "idColumn");
		Objects.requireNonNull(wrappedColumn, "wrappedColumn");
		Objects.requireNonNull(context, "context");
	}

}
