package org.statemigration.smp.store.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.statemigration.smp.store.InsufficientStorageException;
import org.statemigration.smp.store.internal.FolderOccupancy.Snapshot;
import org.statemigration.smp.store.internal.StorageFolders.Folder;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The bytes of uploads, reserved before the first byte is accepted: in the association's reserved folder if it has
 * one and it has room, else in the folder with the most; a chunked upload grows its reservation as it streams, and
 * every step of progress keeps it from counting as idle. Every check and change runs with the folders' rows
 * locked.
 */
@Component
public class UploadReservations {

	private final ReservationRepository reservations;

	private final StorageFolders folders;

	private final FolderOccupancy occupancy;

	private final NodeIdentity node;

	private final Clock clock;

	UploadReservations(ReservationRepository reservations, StorageFolders folders, FolderOccupancy occupancy,
			NodeIdentity node, Clock clock) {
		this.reservations = reservations;
		this.folders = folders;
		this.occupancy = occupancy;
		this.node = node;
		this.clock = clock;
	}

	/**
	 * Reserves the bytes of an upload that is about to start, in the association's reserved folder if it has
	 * one and it has room, else in the best folder.
	 * @throws InsufficientStorageException if no folder has the room
	 */
	@Transactional
	public Reservation reserve(UUID associationId, UUID storeId, long bytes, Duration idleExpiry) {
		return reserve(associationId, storeId, bytes, idleExpiry, false);
	}

	/**
	 * Reserves the bytes of an upload that is about to start, as {@link #reserve(UUID, UUID, long, Duration)}; a
	 * resumable upload only in a location whose store can continue it across requests.
	 * @throws InsufficientStorageException if no folder has the room, or none can hold a resumable upload
	 */
	@Transactional
	public Reservation reserve(UUID associationId, UUID storeId, long bytes, Duration idleExpiry,
			boolean resumable) {
		Instant now = this.clock.instant();
		Snapshot snapshot = this.occupancy.lockAt(now);
		var held = this.reservations.findIdle(associationId, now);
		if (held.isPresent()) {
			Folder folder = this.folders.find(held.get().folder()).orElse(null);
			if (folder != null && snapshot.available(folder) >= bytes
					&& (!resumable || this.occupancy.resumable(folder))) {
				this.reservations.update(held.get().id(), storeId, bytes, this.node.id(), now.plus(idleExpiry));
				return new Reservation(held.get().id(), associationId, storeId, folder.location(), bytes);
			}
		}
		Folder folder = this.occupancy.choose(associationId, bytes, snapshot, resumable);
		Reservation reservation = new Reservation(UUID.randomUUID(), associationId, storeId, folder.location(), bytes);
		this.reservations.insert(reservation, this.node.id(), now, now.plus(idleExpiry));
		return reservation;
	}

	/**
	 * Grows an upload's reservation to {@code bytes} (a chunked body that goes on) and marks it active. An upload
	 * whose location was taken out of the configuration since it started (a resumable one, which survives a
	 * restart) is only marked active: it goes on there within what it reserved, and may not grow.
	 * @throws InsufficientStorageException if its folder has no room for the growth, or is no longer configured
	 */
	@Transactional
	public Reservation grow(Reservation reservation, long bytes, Duration idleExpiry) {
		this.reservations.lockFolders();
		Instant now = this.clock.instant();
		if (bytes > reservation.bytes()) {
			Folder folder = this.folders.find(reservation.folder())
				.orElseThrow(() -> new InsufficientStorageException("The storage location of this upload is no "
						+ "longer configured: it takes no more than was reserved; send the state store again"));
			if (this.occupancy.at(now).available(folder) < bytes - reservation.bytes()) {
				throw new InsufficientStorageException("The storage folder has no room for more of this state store");
			}
		}
		long reserved = Math.max(bytes, reservation.bytes());
		this.reservations.update(reservation.id(), reservation.storeId(), reserved, this.node.id(),
				now.plus(idleExpiry));
		return new Reservation(reservation.id(), reservation.associationId(), reservation.storeId(),
				reservation.folder(), reserved);
	}

	/** Releases an upload's reservation when its version is committed or ended, in that transaction. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void releaseUpload(UUID storeId) {
		this.reservations.deleteForStore(storeId);
	}

	/** Releases an upload's reservation after it failed. */
	@Transactional
	public void release(Reservation reservation) {
		this.reservations.delete(reservation.id());
	}

}
