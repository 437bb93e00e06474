package org.statemigration.smp.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.statemigration.smp.store.blob.s3.S3Location;
import org.statemigration.smp.store.internal.FolderOccupancy;
import org.statemigration.smp.store.internal.FolderOccupancy.Snapshot;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.Reservation;
import org.statemigration.smp.store.internal.ReservationRepository;
import org.statemigration.smp.store.internal.StorageFolders;
import org.statemigration.smp.store.internal.StorageFolders.Folder;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Quotas as reservations (DESIGN 8). A capture takes a client slot in a folder when it is requested, and the bytes
 * of its upload before the first byte is accepted; a chunked upload grows its reservation as it streams. The room
 * of a folder is what its blob store has available (its usable space less its minimum free space, or the
 * database's reserve on the database's volume), less what is reserved and not yet written. Every check and change
 * of room or clients runs with the folders' rows locked, so concurrent captures on any server can never together
 * take a folder below its minimum or above its clients; a request that keeps the slot its capture holds already
 * changes neither, and only extends it.
 */
@Service
public class StorageReservations {

	private final ReservationRepository reservations;

	private final StorageFolders folders;

	private final FolderOccupancy occupancy;

	private final NodeIdentity node;

	private final Clock clock;

	StorageReservations(ReservationRepository reservations, StorageFolders folders, FolderOccupancy occupancy,
			NodeIdentity node, Clock clock) {
		this.reservations = reservations;
		this.folders = folders;
		this.occupancy = occupancy;
		this.node = node;
		this.clock = clock;
	}

	@EventListener(ApplicationStartedEvent.class)
	@Transactional
	public void registerFolders() {
		for (Folder folder : this.folders.all()) {
			this.reservations.registerFolder(folder.location(), this.clock.instant());
		}
	}

	/**
	 * Takes a client slot for a capture that was just requested, in the folder that can take another client and
	 * has the most room, or keeps the one the association holds already.
	 * @throws InsufficientStorageException if no folder can take it
	 */
	@Transactional
	public void reserveClient(UUID associationId, Duration lifetime) {
		Instant now = this.clock.instant();
		// a slot held already is kept without the folders' lock: the count of clients stays as it is, and one
		// running at this moment deletes or counts it (ReservationRepository.extendIdle)
		if (this.reservations.extendIdle(associationId, now, now.plus(lifetime))) {
			return;
		}
		Folder folder = this.occupancy.choose(associationId, 0, this.occupancy.lockAt(now));
		this.reservations.insert(new Reservation(UUID.randomUUID(), associationId, null, folder.location(), 0),
				this.node.id(), now, now.plus(lifetime));
	}

	/** Releases whatever the association holds: its capture is over, or it is deleted. */
	@Transactional
	public void releaseAssociation(UUID associationId) {
		this.reservations.deleteForAssociation(associationId);
	}

	/**
	 * The locations as operators see them: the configured ones, then those taken out of the configuration that
	 * still hold versions or reservations, so that an operator can tell when such a folder has drained.
	 */
	@Transactional(readOnly = true)
	public List<FolderUsage> usage() {
		Snapshot snapshot = this.occupancy.at(this.clock.instant());
		Map<String, Long> used = this.reservations.usedBytes();
		Map<String, Long> versions = this.reservations.versionsByFolder();
		List<FolderUsage> usage = new ArrayList<>();
		Set<String> configured = new HashSet<>();
		for (Folder folder : this.folders.all()) {
			String location = folder.location();
			configured.add(location);
			usage.add(new FolderUsage(location, location, folder.isS3() ? "s3" : "folder", true, folder.maxClients(),
					snapshot.clients(folder), versions.getOrDefault(location, 0L), folder.minFreeSpace(),
					folder.minFreeBytes(), folder.isS3() ? folder.s3().capacityBytes() : null,
					snapshot.room(folder).freeBytes(), used.getOrDefault(location, 0L), snapshot.unwritten(folder),
					snapshot.accepts(folder, null)));
		}
		Set<String> outside = new TreeSet<>(snapshot.reservedOutside(configured));
		versions.keySet().stream().filter((location) -> !configured.contains(location)).forEach(outside::add);
		for (String location : outside) {
			usage.add(new FolderUsage(location, location, S3Location.isS3(location) ? "s3" : "folder", false, 0,
					snapshot.clients(location), versions.getOrDefault(location, 0L), null, 0, null, 0,
					used.getOrDefault(location, 0L), snapshot.unwritten(location), false));
		}
		return usage;
	}

}
