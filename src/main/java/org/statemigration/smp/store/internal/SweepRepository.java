package org.statemigration.smp.store.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.statemigration.smp.store.blob.BlobKey;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Which versions found in a storage location are live: a version is live at a location while its row there is
 * {@code UPLOADING} (a capture or a resumable upload goes on, or has ended and is being committed) or
 * {@code COMMITTED}, or while a resumable upload names it. A {@code SUPERSEDED} or {@code DELETED} version, or one
 * whose row is gone, needs nothing of the location any more: its key is destroyed.
 */
@Repository
public class SweepRepository {

	private final JdbcClient jdbc;

	public SweepRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * The versions among those given that are live at the location, in one query. A version is only taken for
	 * live under the association its key names.
	 * @param versions at most a page of them (a thousand)
	 */
	public Set<BlobKey> live(String location, Collection<BlobKey> versions) {
		if (versions.isEmpty()) {
			return Set.of();
		}
		List<UUID> ids = versions.stream().map(BlobKey::storeId).distinct().toList();
		List<BlobKey> live = this.jdbc.sql("""
				SELECT s.id, s.association_id FROM state_store s
				WHERE s.folder = :location AND s.id IN (:ids)
				AND (s.status IN ('UPLOADING', 'COMMITTED')
					OR EXISTS (SELECT 1 FROM resumable_upload u WHERE u.store_id = s.id))""")
			.param("location", location)
			.param("ids", ids)
			.query((rs, row) -> new BlobKey(rs.getObject("association_id", UUID.class), rs.getObject("id", UUID.class)))
			.list();
		return new HashSet<>(live);
	}

}
