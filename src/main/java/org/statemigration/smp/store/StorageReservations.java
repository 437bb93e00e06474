package org.statemigration.smp.store;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.statemigration.smp.store.StorageFolders.Folder;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.Room;
import org.statemigration.smp.store.blob.StoredObject;
import org.statemigration.smp.store.internal.BlobStores;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.ReservationRepository;

import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Quotas as reservations (DESIGN 8). A capture takes a client slot in a folder when it is requested, and the bytes
 * of its upload before the first byte is accepted; a chunked upload grows its reservation as it streams. The room
 * of a folder is what its blob store has available (its usable space less its minimum free space, or the
 * database's reserve on the database's volume), less what is reserved and not yet written. Every
 * check and change runs with the folders' rows locked, so concurrent captures on any server can never together
 * take a folder below its minimum or above its clients.
 */
@Service
public class StorageReservations {

	private final ReservationRepository reservations;

	private final StorageFolders folders;

	private final BlobStores blobs;

	private final NodeIdentity node;

	private final Clock clock;

	public StorageReservations(ReservationRepository reservations, StorageFolders folders, BlobStores blobs,
			NodeIdentity node, Clock clock) {
		this.reservations = reservations;
		this.folders = folders;
		this.blobs = blobs;
		this.node = node;
		this.clock = clock;
	}

	@EventListener(ApplicationStartedEvent.class)
	@Transactional
	public void registerFolders() {
		for (Folder folder : this.folders.all()) {
			this.reservations.registerFolder(folder.location().toString(), this.clock.instant());
		}
	}

	/**
	 * Takes a client slot for a capture that was just requested, in the folder that can take another client and
	 * has the most room, or keeps the one the association holds already.
	 * @throws InsufficientStorageException if no folder can take it
	 */
	@Transactional
	public Reservation reserveClient(UUID associationId, Duration lifetime) {
		this.reservations.lockFolders();
		Instant now = this.clock.instant();
		var held = this.reservations.findIdle(associationId, now);
		if (held.isPresent()) {
			this.reservations.extend(associationId, now.plus(lifetime));
			return held.get();
		}
		Folder folder = choose(associationId, 0, occupancy(now));
		Reservation reservation = new Reservation(UUID.randomUUID(), associationId, null, folder.location(), 0);
		this.reservations.insert(reservation, this.node.id(), now, now.plus(lifetime));
		return reservation;
	}

	/**
	 * Reserves the bytes of an upload that is about to start, in the association's reserved folder if it has
	 * one and it has room, else in the best folder.
	 * @throws InsufficientStorageException if no folder has the room
	 */
	@Transactional
	public Reservation reserveUpload(UUID associationId, UUID storeId, long bytes, Duration idleExpiry) {
		this.reservations.lockFolders();
		Instant now = this.clock.instant();
		Occupancy occupancy = occupancy(now);
		var held = this.reservations.findIdle(associationId, now);
		if (held.isPresent()) {
			Folder folder = this.folders.find(held.get().folder().toString()).orElse(null);
			if (folder != null && occupancy.available(folder) >= bytes) {
				this.reservations.update(held.get().id(), storeId, bytes, this.node.id(), now.plus(idleExpiry));
				return new Reservation(held.get().id(), associationId, storeId, folder.location(), bytes);
			}
		}
		Folder folder = choose(associationId, bytes, occupancy);
		Reservation reservation = new Reservation(UUID.randomUUID(), associationId, storeId, folder.location(), bytes);
		this.reservations.insert(reservation, this.node.id(), now, now.plus(idleExpiry));
		return reservation;
	}

	/**
	 * Grows an upload's reservation to {@code bytes} (a chunked body that goes on) and marks it active.
	 * @throws InsufficientStorageException if its folder has no room for the growth
	 */
	@Transactional
	public Reservation grow(Reservation reservation, long bytes, Duration idleExpiry) {
		this.reservations.lockFolders();
		Instant now = this.clock.instant();
		Folder folder = this.folders.find(reservation.folder().toString())
			.orElseThrow(() -> new InsufficientStorageException("The storage folder is no longer configured"));
		if (bytes > reservation.bytes() && occupancy(now).available(folder) < bytes - reservation.bytes()) {
			throw new InsufficientStorageException("The storage folder has no room for more of this state store");
		}
		long reserved = Math.max(bytes, reservation.bytes());
		this.reservations.update(reservation.id(), reservation.storeId(), reserved, this.node.id(),
				now.plus(idleExpiry));
		return new Reservation(reservation.id(), reservation.associationId(), reservation.storeId(),
				reservation.folder(), reserved);
	}

	/** Releases an upload's reservation when its version is committed, in the committing transaction. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void releaseUpload(UUID storeId) {
		this.reservations.deleteForStore(storeId);
	}

	/** Releases an upload's reservation after it failed. */
	@Transactional
	public void release(Reservation reservation) {
		this.reservations.delete(reservation.id());
	}

	/** Releases whatever the association holds: its capture is over, or it is deleted. */
	@Transactional
	public void releaseAssociation(UUID associationId) {
		this.reservations.deleteForAssociation(associationId);
	}

	/** The folders as operators see them. */
	@Transactional(readOnly = true)
	public List<FolderUsage> usage() {
		Occupancy occupancy = occupancy(this.clock.instant());
		Map<String, Long> used = this.reservations.usedBytes();
		List<FolderUsage> usage = new ArrayList<>();
		for (Folder folder : this.folders.all()) {
			String location = folder.location().toString();
			usage.add(new FolderUsage(location, location, folder.maxClients(), occupancy.clients(folder),
					folder.minFreeSpace(), folder.minFreeBytes(), occupancy.room(folder).freeBytes(),
					used.getOrDefault(location, 0L), occupancy.unwritten(folder), occupancy.accepts(folder, null)));
		}
		return usage;
	}

	private Folder choose(UUID associationId, long bytes, Occupancy occupancy) {
		return this.folders.all()
			.stream()
			.filter((f) -> occupancy.accepts(f, associationId) && occupancy.available(f) >= bytes)
			.max(Comparator.comparingLong(occupancy::available))
			.orElseThrow(() -> new InsufficientStorageException(
					"No storage folder can take this state store: every folder is full or at its maximum of clients"));
	}

	private Occupancy occupancy(Instant now) {
		return new Occupancy(this.reservations.active(now), this.reservations.associationsWithData());
	}

	/** Who and what is in each folder at one moment; each folder's room and written bytes are read once. */
	private final class Occupancy {

		private final List<Reservation> active;

		private final Map<String, List<UUID>> withData;

		private final Map<String, Room> rooms = new HashMap<>();

		private final Map<String, Long> unwritten = new HashMap<>();

		Occupancy(List<Reservation> active, Map<String, List<UUID>> withData) {
			this.active = active;
			this.withData = withData;
		}

		Set<UUID> clientsOf(Folder folder) {
			String location = folder.location().toString();
			Set<UUID> clients = new HashSet<>(this.withData.getOrDefault(location, List.of()));
			this.active.stream()
				.filter((r) -> r.folder().toString().equals(location))
				.forEach((r) -> clients.add(r.associationId()));
			return clients;
		}

		int clients(Folder folder) {
			return clientsOf(folder).size();
		}

		/** Can take this association: it is there already, or there is a free client slot, and room above zero. */
		boolean accepts(Folder folder, UUID associationId) {
			Set<UUID> clients = clientsOf(folder);
			boolean slot = (associationId != null && clients.contains(associationId))
					|| clients.size() < folder.maxClients();
			return slot && available(folder) > 0;
		}

		/** Reserved bytes not yet stored: reservations less what their uploads have written so far. */
		long unwritten(Folder folder) {
			return this.unwritten.computeIfAbsent(folder.location().toString(), (location) -> {
				long unwritten = 0;
				for (Reservation reservation : this.active) {
					if (reservation.folder().equals(folder.location())) {
						unwritten += Math.max(0, reservation.bytes() - written(reservation));
					}
				}
				return unwritten;
			});
		}

		Room room(Folder folder) {
			return this.rooms.computeIfAbsent(folder.location().toString(),
					(location) -> StorageReservations.this.blobs.of(folder).room());
		}

		/** What a new upload may still take in the folder. */
		long available(Folder folder) {
			return room(folder).available() - unwritten(folder);
		}

		/** The bytes of the reservation's upload in its folder's blob store, while it is unfinished. */
		private long written(Reservation reservation) {
			if (reservation.storeId() == null) {
				return 0;
			}
			try {
				return StorageReservations.this.blobs.at(reservation.folder())
					.list(new BlobKey(reservation.associationId(), reservation.storeId()))
					.stream()
					.filter((object) -> object.kind() == StoredObject.Kind.UNFINISHED_BLOB)
					.mapToLong(StoredObject::size)
					.sum();
			}
			catch (IOException ex) {
				return 0;
			}
		}

	}

}
