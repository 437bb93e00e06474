package org.statemigration.smp.backup.internal;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A table's rows in a form that does not depend on the database they came from: JSON lines, the first naming the
 * table and its columns with a portable type each, then one array of values per row. Timestamps with a zone are
 * written as instants in UTC, binary values in Base64, UUIDs as text, so that rows dumped from H2 load into
 * PostgreSQL and back.
 */
final class TableDump {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final JsonNodeFactory nodes = JsonNodeFactory.instance;

	/** The portable column types. */
	enum Type {

		TEXT, INTEGER, BOOLEAN, BYTES, UUID, TIMESTAMPTZ, TIMESTAMP

	}

	/** A column of the dump: its name and portable type. */
	record Column(String name, Type type) {
	}

	private TableDump() {
	}

	/**
	 * Writes every row of the result set.
	 * @return the number of rows written
	 */
	static long write(String table, ResultSet rows, BufferedWriter out) throws SQLException, IOException {
		ResultSetMetaData meta = rows.getMetaData();
		List<Column> columns = new ArrayList<>();
		ObjectNode header = nodes.objectNode().put("table", table);
		ArrayNode described = header.putArray("columns");
		for (int i = 1; i <= meta.getColumnCount(); i++) {
			Column column = new Column(meta.getColumnLabel(i).toLowerCase(Locale.ROOT),
					typeOf(meta.getColumnType(i), meta.getColumnTypeName(i)));
			columns.add(column);
			described.addObject().put("name", column.name()).put("type", column.type().name().toLowerCase(Locale.ROOT));
		}
		out.write(json.writeValueAsString(header));
		out.newLine();
		long count = 0;
		while (rows.next()) {
			ArrayNode row = nodes.arrayNode();
			for (int i = 0; i < columns.size(); i++) {
				row.add(read(rows, i + 1, columns.get(i).type()));
			}
			out.write(json.writeValueAsString(row));
			out.newLine();
			count++;
		}
		return count;
	}

	static Type typeOf(int sqlType, String typeName) {
		String name = (typeName != null) ? typeName.toLowerCase(Locale.ROOT) : "";
		if (name.equals("uuid")) {
			return Type.UUID;
		}
		if (name.equals("timestamptz") || name.equals("timestamp with time zone")) {
			return Type.TIMESTAMPTZ;
		}
		return switch (sqlType) {
			case Types.TIMESTAMP_WITH_TIMEZONE -> Type.TIMESTAMPTZ;
			case Types.TIMESTAMP -> Type.TIMESTAMP;
			case Types.BIGINT, Types.INTEGER, Types.SMALLINT, Types.TINYINT -> Type.INTEGER;
			case Types.BOOLEAN, Types.BIT -> Type.BOOLEAN;
			case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> Type.BYTES;
			case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.CLOB, Types.NCHAR, Types.NVARCHAR,
					Types.LONGNVARCHAR, Types.NCLOB ->
				Type.TEXT;
			default -> throw new IllegalStateException("A column of type " + typeName + " cannot be backed up");
		};
	}

	private static JsonNode read(ResultSet rows, int index, Type type) throws SQLException {
		JsonNode value = switch (type) {
			case TEXT -> nodes.stringNode(rows.getString(index));
			case INTEGER -> nodes.numberNode(rows.getLong(index));
			case BOOLEAN -> nodes.booleanNode(rows.getBoolean(index));
			case BYTES -> {
				byte[] bytes = rows.getBytes(index);
				yield (bytes != null) ? nodes.stringNode(Base64.getEncoder().encodeToString(bytes)) : null;
			}
			case UUID -> {
				Object uuid = rows.getObject(index);
				yield (uuid != null) ? nodes.stringNode(uuid.toString()) : null;
			}
			case TIMESTAMPTZ -> {
				OffsetDateTime at = rows.getObject(index, OffsetDateTime.class);
				yield (at != null) ? nodes.stringNode(at.toInstant().toString()) : null;
			}
			case TIMESTAMP -> {
				LocalDateTime at = rows.getObject(index, LocalDateTime.class);
				yield (at != null) ? nodes.stringNode(at.toString()) : null;
			}
		};
		return (value == null || rows.wasNull()) ? nodes.nullNode() : value;
	}

	/**
	 * Loads a dump into the table of the same name, which must have every column the dump names.
	 * @return the number of rows loaded
	 */
	static long load(Connection connection, BufferedReader in) throws SQLException, IOException {
		String first = in.readLine();
		if (first == null) {
			throw new IOException("The table dump is empty");
		}
		JsonNode header = json.readTree(first);
		String table = header.get("table").asString();
		List<Column> columns = new ArrayList<>();
		for (JsonNode column : header.get("columns")) {
			columns.add(new Column(column.get("name").asString(),
					Type.valueOf(column.get("type").asString().toUpperCase(Locale.ROOT))));
		}
		Map<String, Integer> targetTypes = targetTypes(connection, table);
		StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (");
		for (int i = 0; i < columns.size(); i++) {
			String name = columns.get(i).name();
			if (!targetTypes.containsKey(name)) {
				throw new IOException("Table " + table + " has no column " + name);
			}
			sql.append((i > 0) ? ", " : "").append(name);
		}
		sql.append(") VALUES (").append("?, ".repeat(columns.size() - 1)).append("?)");
		long count = 0;
		try (PreparedStatement insert = connection.prepareStatement(sql.toString())) {
			for (String line = in.readLine(); line != null; line = in.readLine()) {
				if (line.isEmpty()) {
					continue;
				}
				JsonNode row = json.readTree(line);
				for (int i = 0; i < columns.size(); i++) {
					bind(insert, i + 1, columns.get(i).type(), targetTypes.get(columns.get(i).name()), row.get(i));
				}
				insert.addBatch();
				if (++count % 500 == 0) {
					insert.executeBatch();
				}
			}
			insert.executeBatch();
		}
		return count;
	}

	/** The table's columns and their JDBC types, as the target database has them. */
	private static Map<String, Integer> targetTypes(Connection connection, String table) throws SQLException {
		Map<String, Integer> types = new HashMap<>();
		try (PreparedStatement query = connection.prepareStatement("SELECT * FROM " + table + " WHERE 1 = 0");
				ResultSet rows = query.executeQuery()) {
			ResultSetMetaData meta = rows.getMetaData();
			for (int i = 1; i <= meta.getColumnCount(); i++) {
				types.put(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), meta.getColumnType(i));
			}
		}
		return types;
	}

	private static void bind(PreparedStatement insert, int index, Type type, int targetType, JsonNode value)
			throws SQLException {
		if (value == null || value.isNull()) {
			insert.setNull(index, targetType);
			return;
		}
		switch (type) {
			case TEXT -> insert.setString(index, value.asString());
			case INTEGER -> {
				if (targetType == Types.INTEGER || targetType == Types.SMALLINT) {
					insert.setInt(index, Math.toIntExact(value.asLong()));
				}
				else {
					insert.setLong(index, value.asLong());
				}
			}
			case BOOLEAN -> insert.setBoolean(index, value.asBoolean());
			case BYTES -> insert.setBytes(index, Base64.getDecoder().decode(value.asString()));
			case UUID -> insert.setObject(index, java.util.UUID.fromString(value.asString()));
			case TIMESTAMPTZ -> insert.setObject(index,
					java.time.Instant.parse(value.asString()).atOffset(ZoneOffset.UTC));
			case TIMESTAMP -> insert.setObject(index, LocalDateTime.parse(value.asString()));
		}
	}

	/** A UUID column's value in a row read back from a dump (tests and the restore's store list). */
	static UUID uuid(JsonNode value) {
		return (value == null || value.isNull()) ? null : UUID.fromString(value.asString());
	}

}
