package org.statemigration.smp.store.internal;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import org.statemigration.smp.store.PendingStateStore;
import org.statemigration.smp.store.StoredStateStore;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;

import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * What becomes of a version once its blob is written: made current, its predecessors shredded; thrown away; or,
 * with every other version of its association, shredded. Keys go first, in the caller's transaction (a version
 * without its key is unreadable the moment that commits); blobs go after the commit.
 */
@Component
public class VersionCommits {

	private final StateStoreRepository stores;

	private final ReservationRepository reservations;

	private final VersionBlobs blobs;

	private final UploadsInProgress inProgress;

	private final Clock clock;

	VersionCommits(StateStoreRepository stores, ReservationRepository reservations, VersionBlobs blobs,
			UploadsInProgress inProgress, Clock clock) {
		this.stores = stores;
		this.reservations = reservations;
		this.blobs = blobs;
		this.inProgress = inProgress;
		this.clock = clock;
	}

	/**
	 * Makes a written version the association's current one, in the caller's transaction; the versions it replaces
	 * are shredded, and their blobs removed once the transaction commits.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public StoredStateStore commit(PendingStateStore pending) {
		this.inProgress.endAfterTransaction(pending.id());
		List<StoredFile> replaced = this.stores.supersede(pending.associationId());
		this.reservations.deleteForStore(pending.id());
		if (!this.stores.commit(pending.id(), pending.sizeBytes(), pending.sha256(), this.clock.instant())) {
			throw new IllegalStateException("Version " + pending.id() + " is no longer uploading");
		}
		this.blobs.deleteAfterCommit(replaced);
		return new StoredStateStore(pending.id(), pending.associationId(), pending.version(), pending.sizeBytes(),
				pending.sha256());
	}

	/** Throws away a written version that could not be committed. */
	public void discard(PendingStateStore pending) {
		try {
			this.stores.file(pending.id()).ifPresent(this.blobs::delete);
			this.stores.delete(pending.id());
		}
		finally {
			this.inProgress.end(pending.id());
		}
	}

	/**
	 * Shreds every version of the association's store and releases what it holds in the storage folders, in the
	 * caller's transaction.
	 * @return how many versions still had data
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int shred(UUID associationId) {
		this.reservations.deleteForAssociation(associationId);
		List<StoredFile> files = this.stores.shred(associationId);
		this.blobs.deleteAfterCommit(files);
		return files.size();
	}

}
