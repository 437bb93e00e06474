package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.blob.Room;
import org.statemigration.smp.store.internal.StorageFolders.Folder;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code storage} health component: DOWN when any storage folder has less usable space than its minimum, or
 * cannot be written to (a small file is created and deleted in it), UP otherwise. The details per folder are
 * shown only to operators that may see them ({@code management.endpoint.health.show-details}).
 */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

	private static final Log logger = LogFactory.getLog(StorageHealthIndicator.class);

	private final StorageFolders folders;

	private final BlobStores blobs;

	StorageHealthIndicator(StorageFolders folders, BlobStores blobs) {
		this.folders = folders;
		this.blobs = blobs;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up();
		for (Folder folder : this.folders.all()) {
			Room room = this.blobs.of(folder).room();
			long usable = room.freeBytes();
			long minimum = room.minimumBytes();
			boolean writable = writable(folder.location());
			boolean enoughSpace = usable >= 0 && usable >= minimum;
			if (!writable || !enoughSpace) {
				health.down();
			}
			Map<String, Object> details = new LinkedHashMap<>();
			details.put("status", (writable && enoughSpace) ? "UP" : "DOWN");
			details.put("writable", writable);
			details.put("usableBytes", usable);
			details.put("minimumBytes", minimum);
			details.put("minFreeSpace", folder.minFreeSpace());
			details.put("databaseReserveBytes", folder.databaseReserveBytes());
			health.withDetail(folder.location().toString(), details);
		}
		return health.build();
	}

	/** Whether a file can be created and deleted in the folder now: a full, read-only or vanished disk can't. */
	static boolean writable(Path folder) {
		Path probe;
		try {
			probe = Files.createTempFile(folder, ".health-", ".tmp");
		}
		catch (IOException | SecurityException ex) {
			logger.debug("Storage folder " + folder + " is not writable", ex);
			return false;
		}
		try {
			Files.delete(probe);
			return true;
		}
		catch (IOException | SecurityException ex) {
			logger.warn("Could not delete the health probe " + probe, ex);
			return false;
		}
	}

}
