package org.statemigration.smp.store;

import java.util.List;
import java.util.UUID;

import org.statemigration.smp.store.internal.DisposalRepository;
import org.statemigration.smp.store.internal.ReservationRepository;
import org.statemigration.smp.store.internal.StateStoreRepository;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Destroys an association's stored data when retention says it is time, in the caller's transaction: the data
 * keys first (crypto-shredding), so that the data is unreadable the moment the transaction commits, and the files
 * only after the commit.
 */
@Service
public class StateStoreDisposal {

	private final StateStoreRepository stores;

	private final ReservationRepository reservations;

	private final DisposalRepository disposal;

	public StateStoreDisposal(StateStoreRepository stores, ReservationRepository reservations,
			DisposalRepository disposal) {
		this.stores = stores;
		this.reservations = reservations;
		this.disposal = disposal;
	}

	/**
	 * Shreds every version of the association's store and releases what it holds in the storage folders.
	 * @return how many versions still had data
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int shred(UUID associationId) {
		this.reservations.deleteForAssociation(associationId);
		List<StoredFile> files = this.stores.shred(associationId);
		StoreFiles.deleteAfterCommit(files);
		return files.size();
	}

	/** Shreds whatever is left of the association's store and forgets its versions altogether. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void forget(UUID associationId) {
		shred(associationId);
		this.disposal.deleteVersionsOf(associationId);
	}

}
