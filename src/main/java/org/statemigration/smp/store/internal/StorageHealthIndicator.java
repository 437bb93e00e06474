package org.statemigration.smp.store.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.Room;
import org.statemigration.smp.store.internal.StorageFolders.Folder;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code storage} health component: DOWN when any storage folder has less usable space than its minimum, or
 * cannot be written to (a small file is created and deleted in it), or any S3 location's bucket does not answer;
 * UP otherwise. An S3 location shows its capacity and its stored bytes, not file-system numbers: it has none, and
 * a capacity used up only stops new captures. The details per location are shown only to operators that may see
 * them ({@code management.endpoint.health.show-details}).
 */
@Component("storage")
class StorageHealthIndicator implements HealthIndicator {

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
			BlobStore store = this.blobs.of(folder);
			Room room = store.room();
			boolean writable = store.writable();
			Map<String, Object> details = new LinkedHashMap<>();
			boolean up;
			if (folder.isS3()) {
				up = writable;
				details.put("status", up ? "UP" : "DOWN");
				details.put("kind", "s3");
				details.put("reachable", writable);
				details.put("capacityBytes", folder.s3().capacityBytes());
				details.put("storedBytes", folder.s3().capacityBytes() - room.freeBytes());
				details.put("freeBytes", room.freeBytes());
			}
			else {
				long usable = room.freeBytes();
				long minimum = room.minimumBytes();
				up = writable && usable >= 0 && usable >= minimum;
				details.put("status", up ? "UP" : "DOWN");
				details.put("writable", writable);
				details.put("usableBytes", usable);
				details.put("minimumBytes", minimum);
				details.put("minFreeSpace", folder.minFreeSpace());
				details.put("databaseReserveBytes", folder.databaseReserveBytes());
			}
			if (!up) {
				health.down();
			}
			health.withDetail(folder.location(), details);
		}
		return health.build();
	}

}
