package org.statemigration.smp.store.web;

import java.util.List;

import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.FolderUsage;
import org.statemigration.smp.store.StorageReservations;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The storage locations as operators plan with them: clients, versions, free, used and reserved space, whether
 * each takes new captures, and whether the server is in restore-only mode; beside the configured locations, those
 * taken out of the configuration that still hold versions, until they have drained.
 */
@RestController
@RequestMapping("/api/v1/storage")
class StorageController {

	private final StorageReservations reservations;

	private final Settings settings;

	StorageController(StorageReservations reservations, Settings settings) {
		this.reservations = reservations;
		this.settings = settings;
	}

	@GetMapping
	StorageBody storage() {
		List<FolderBody> folders = this.reservations.usage().stream().map(FolderBody::of).toList();
		return new StorageBody(folders, this.settings.current().restoreOnlyMode());
	}

	record StorageBody(List<FolderBody> folders, boolean restoreOnlyMode) {
	}

	/**
	 * A location in the contract's shape: {@code kind} {@code folder} or {@code s3}; a folder's
	 * {@code minFreeSpace} as configured ({@code 1GB}, {@code 10%}), an S3 location's {@code capacityBytes};
	 * {@code configured} false for a location taken out of the configuration that still holds {@code versions}.
	 */
	record FolderBody(String id, String location, String kind, boolean configured, int maxClients, int clients,
			long versions, String minFreeSpace, Long capacityBytes, long freeBytes, long usedBytes, long reservedBytes,
			boolean accepting) {

		static FolderBody of(FolderUsage usage) {
			return new FolderBody(usage.id(), usage.location(), usage.kind(), usage.configured(), usage.maxClients(),
					usage.clients(), usage.versions(), usage.minFreeSpace(), usage.capacityBytes(), usage.freeBytes(),
					usage.usedBytes(), usage.reservedBytes(), usage.accepting());
		}

	}

}
