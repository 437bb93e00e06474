package org.statemigration.smp.backup.internal;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tables a backup holds and which it leaves out. Every table of the schema must be one or the other: a
 * backup of a schema with a table named in neither list fails, so that a new migration cannot add state that
 * backups silently miss.
 */
final class BackupTables {

	/** The tables that hold state, in an order that loads them without breaking a foreign key. */
	static final List<String> STATE = List.of("computer", "computer_mac_address", "computer_association",
			"state_store", "enrollment_code", "client_certificate", "token_signing_key", "spent_token", "operator",
			"setting", "setting_change", "legal_hold_change", "audit_event", "audit_head", "audit_event_orphan",
			"client_ca", "scrub_damaged_store", "provider_operator");

	/**
	 * Rows of a state table left out: the versions still being uploaded (their blobs are unfinished and their
	 * uploads cannot go on after a restore; the computer captures again).
	 */
	static final Map<String, String> FILTERS = Map.of("state_store", "status <> 'UPLOADING'");

	/** Tables whose rows live only as long as a process, a request or a sign-in, and why each is left out. */
	static final Map<String, String> TRANSIENT = Map.ofEntries(
			Map.entry("storage_folder", "registered again by the server for its own configured locations"),
			Map.entry("storage_reservation", "room held by uploads in progress"),
			Map.entry("resumable_upload", "uploads in progress"),
			Map.entry("s3_upload", "uploads in progress"),
			Map.entry("s3_upload_part", "uploads in progress"),
			Map.entry("node_heartbeat", "servers alive now"),
			Map.entry("spring_session", "console sign-ins"),
			Map.entry("spring_session_attributes", "console sign-ins"),
			Map.entry("sign_in_failure", "failed sign-ins, forgotten within minutes"),
			Map.entry("enrollment_failure", "failed enrollments, forgotten within minutes"),
			Map.entry("shedlock", "locks of jobs running now"),
			Map.entry("scrub_progress", "where the scheduled scrub stands; a restored server begins a new pass"),
			Map.entry("flyway_schema_history", "the schema version is in the manifest; a restore migrates afresh"));

	/**
	 * Tables that hold a row before a restore loads anything, which it replaces: the head of an empty audit chain
	 * (from the migrations), and the client CA that every start of the application creates in a database without
	 * one.
	 */
	static final Set<String> REPLACED = Set.of("audit_head", "client_ca");

	private BackupTables() {
	}

	/** The tables of the schema that neither list names: a backup must not go on without them. */
	static List<String> unknown(List<String> tables) {
		return tables.stream()
			.map((table) -> table.toLowerCase(java.util.Locale.ROOT))
			.filter((table) -> !STATE.contains(table) && !TRANSIENT.containsKey(table))
			.sorted()
			.toList();
	}

}
