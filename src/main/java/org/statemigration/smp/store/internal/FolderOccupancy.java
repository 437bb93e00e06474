package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.statemigration.smp.store.InsufficientStorageException;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.Room;
import org.statemigration.smp.store.blob.StoredObject;
import org.statemigration.smp.store.blob.s3.S3Location;
import org.statemigration.smp.store.internal.StorageFolders.Folder;

import org.springframework.stereotype.Component;

/**
 * Who and what is in each storage folder, and so which folder a capture goes to (DESIGN 8). The room of a folder
 * is what its blob store has available (its usable space less its minimum free space, or the database's reserve on
 * the database's volume), less what is reserved and not yet written. Read with the folders' rows locked, so that
 * concurrent captures on any server never take a folder below its minimum or above its clients together.
 */
@Component
public class FolderOccupancy {

	private final ReservationRepository reservations;

	private final StorageFolders folders;

	private final BlobStores blobs;

	FolderOccupancy(ReservationRepository reservations, StorageFolders folders, BlobStores blobs) {
		this.reservations = reservations;
		this.folders = folders;
		this.blobs = blobs;
	}

	/**
	 * Locks the folders' rows until the transaction ends and reads them, to count their clients and give one a
	 * slot: idle reservations that ran out by {@code now} are deleted first, so that one being extended without the
	 * lock at this moment is either counted or gone ({@link ReservationRepository#extendIdle}).
	 */
	public Snapshot lockAt(Instant now) {
		this.reservations.lockFolders();
		this.reservations.deleteExpiredIdle(now);
		return at(now);
	}

	/** The folders at this moment. */
	public Snapshot at(Instant now) {
		return new Snapshot(this.reservations.active(now), this.reservations.associationsWithData());
	}

	/**
	 * The folder that can take the association and {@code bytes} more and has the most room.
	 * @throws InsufficientStorageException if no folder can
	 */
	public Folder choose(UUID associationId, long bytes, Snapshot snapshot) {
		return choose(associationId, bytes, snapshot, false);
	}

	/**
	 * The folder that can take the association and {@code bytes} more and has the most room; for a resumable
	 * upload, only among locations whose store can continue an unfinished blob.
	 * @throws InsufficientStorageException if no folder can
	 */
	public Folder choose(UUID associationId, long bytes, Snapshot snapshot, boolean resumable) {
		List<Folder> candidates = this.folders.all()
			.stream()
			.filter((f) -> !resumable || this.blobs.of(f).resumable())
			.toList();
		if (candidates.isEmpty()) {
			throw new InsufficientStorageException("No storage location can take a resumable upload; send the state "
					+ "store in one request");
		}
		return candidates.stream()
			.filter((f) -> snapshot.accepts(f, associationId) && snapshot.available(f) >= bytes)
			.max(Comparator.comparingLong(snapshot::available))
			.orElseThrow(() -> new InsufficientStorageException(
					"No storage folder can take this state store: every folder is full or at its maximum of clients"));
	}

	/** Whether the folder's store can hold a resumable upload. */
	public boolean resumable(Folder folder) {
		return this.blobs.of(folder).resumable();
	}

	/** Who and what is in each folder at one moment; each folder's room and written bytes are read once. */
	public final class Snapshot {

		private final List<Reservation> active;

		private final Map<String, List<UUID>> withData;

		private final Map<String, Room> rooms = new HashMap<>();

		private final Map<String, Long> unwritten = new HashMap<>();

		private Snapshot(List<Reservation> active, Map<String, List<UUID>> withData) {
			this.active = active;
			this.withData = withData;
		}

		private Set<UUID> clientsOf(Folder folder) {
			return clientsOf(folder.location());
		}

		private Set<UUID> clientsOf(String location) {
			Set<UUID> clients = new HashSet<>(this.withData.getOrDefault(location, List.of()));
			this.active.stream()
				.filter((r) -> r.folder().equals(location))
				.forEach((r) -> clients.add(r.associationId()));
			return clients;
		}

		/** Associations with data, an upload or a reservation in the folder. */
		public int clients(Folder folder) {
			return clientsOf(folder).size();
		}

		/**
		 * Associations with data, an upload or a reservation at a location, configured or not: a location taken out
		 * of the configuration keeps its versions until they are restored and deleted.
		 */
		public int clients(String location) {
			return clientsOf(location).size();
		}

		/**
		 * Locations that are not configured but hold a reservation: an upload that started there before the
		 * location was taken out of the configuration (a resumable one goes on there).
		 */
		public Set<String> reservedOutside(Set<String> configured) {
			Set<String> outside = new TreeSet<>();
			this.active.stream()
				.map(Reservation::folder)
				.filter((location) -> !configured.contains(location))
				.forEach(outside::add);
			return outside;
		}

		/** Can take this association: it is there already, or there is a free client slot, and room above zero. */
		public boolean accepts(Folder folder, UUID associationId) {
			Set<UUID> clients = clientsOf(folder);
			boolean slot = (associationId != null && clients.contains(associationId))
					|| clients.size() < folder.maxClients();
			return slot && available(folder) > 0;
		}

		/**
		 * Reserved bytes not yet stored: reservations less what their uploads have written so far. Where the room is
		 * a budget that only committed blobs lower (S3), nothing is stored before the commit: reservations count
		 * whole, and the store is not asked.
		 */
		public long unwritten(Folder folder) {
			return unwritten(folder.location(), room(folder).budget());
		}

		/**
		 * Reserved bytes not yet stored at a location that is no longer configured: a folder's store is still
		 * asked what its uploads wrote (its path is the location), an S3 location's cannot be, and counts whole.
		 */
		public long unwritten(String location) {
			return unwritten(location, S3Location.isS3(location));
		}

		private long unwritten(String at, boolean budget) {
			return this.unwritten.computeIfAbsent(at, (location) -> {
				long unwritten = 0;
				for (Reservation reservation : this.active) {
					if (reservation.folder().equals(location)) {
						unwritten += Math.max(0, reservation.bytes() - (budget ? 0 : written(reservation)));
					}
				}
				return unwritten;
			});
		}

		/** The room of the folder's blob store. */
		public Room room(Folder folder) {
			return this.rooms.computeIfAbsent(folder.location(),
					(location) -> FolderOccupancy.this.blobs.of(folder).room());
		}

		/** What a new upload may still take in the folder. */
		public long available(Folder folder) {
			return room(folder).available() - unwritten(folder);
		}

		/** The bytes of the reservation's upload in its folder's blob store, while it is unfinished. */
		private long written(Reservation reservation) {
			if (reservation.storeId() == null) {
				return 0;
			}
			try {
				return FolderOccupancy.this.blobs.at(reservation.folder())
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
