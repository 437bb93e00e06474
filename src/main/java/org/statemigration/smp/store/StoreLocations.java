package org.statemigration.smp.store;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.statemigration.smp.store.blob.s3.S3Location;
import org.statemigration.smp.store.internal.StateStoreRepository;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Where the current versions of associations lie, for reports that go through associations a page at a time.
 */
@Service
public class StoreLocations {

	/** At most this many associations at once: one query with an {@code IN} list of their ids. */
	public static final int MAX_BATCH = 500;

	private final StateStoreRepository versions;

	StoreLocations(StateStoreRepository versions) {
		this.versions = versions;
	}

	/** The location of the committed version of each of these associations that has one. */
	@Transactional(readOnly = true)
	public Map<UUID, StoreLocation> current(Collection<UUID> associationIds) {
		if (associationIds.size() > MAX_BATCH) {
			throw new IllegalArgumentException("at most " + MAX_BATCH + " associations at once");
		}
		Map<UUID, StoreLocation> locations = new HashMap<>();
		for (StateStoreRepository.CommittedLocation committed : this.versions.committedLocations(associationIds)) {
			String kind = S3Location.isS3(committed.location()) ? "s3" : "folder";
			locations.put(committed.associationId(),
					new StoreLocation(committed.location(), kind, committed.sizeBytes()));
		}
		return locations;
	}

}
