package org.statemigration.smp.store.internal;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The servers sharing the database and when each last said it was alive.
 */
@Repository
public class NodeHeartbeatRepository {

	private final JdbcClient jdbc;

	public NodeHeartbeatRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Records that the server is alive now: a committed write, which also proves that the database takes writes. */
	public void beat(String nodeId, Instant now) {
		int updated = this.jdbc.sql("UPDATE node_heartbeat SET seen_at = ? WHERE node_id = ?")
			.params(now.atOffset(ZoneOffset.UTC), nodeId)
			.update();
		if (updated == 0) {
			this.jdbc.sql("INSERT INTO node_heartbeat (node_id, seen_at) VALUES (?, ?) ON CONFLICT DO NOTHING")
				.params(nodeId, now.atOffset(ZoneOffset.UTC))
				.update();
		}
	}

	/** Servers other than this one that have not said they were alive since the cutoff. */
	public List<String> silentSince(Instant cutoff, String exceptNodeId) {
		return this.jdbc.sql("SELECT node_id FROM node_heartbeat WHERE seen_at < ? AND node_id <> ? ORDER BY node_id")
			.params(cutoff.atOffset(ZoneOffset.UTC), exceptNodeId)
			.query(String.class)
			.list();
	}

	/** Forgets a silent server, unless it spoke again meanwhile. */
	public void forget(String nodeId, Instant cutoff) {
		this.jdbc.sql("DELETE FROM node_heartbeat WHERE node_id = ? AND seen_at < ?")
			.params(nodeId, cutoff.atOffset(ZoneOffset.UTC))
			.update();
	}

}
