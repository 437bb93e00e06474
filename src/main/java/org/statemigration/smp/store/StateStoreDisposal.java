package org.statemigration.smp.store;

import java.util.UUID;

import org.statemigration.smp.store.internal.DisposalRepository;
import org.statemigration.smp.store.internal.VersionCommits;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Destroys an association's stored data when retention says it is time, in the caller's transaction: the data
 * keys first (crypto-shredding), so that the data is unreadable the moment the transaction commits, and the blobs
 * only after the commit.
 */
@Service
public class StateStoreDisposal {

	private final VersionCommits commits;

	private final DisposalRepository disposal;

	public StateStoreDisposal(VersionCommits commits, DisposalRepository disposal) {
		this.commits = commits;
		this.disposal = disposal;
	}

	/**
	 * Shreds every version of the association's store and releases what it holds in the storage folders.
	 * @return how many versions still had data
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public int shred(UUID associationId) {
		return this.commits.shred(associationId);
	}

	/** Shreds whatever is left of the association's store and forgets its versions altogether. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void forget(UUID associationId) {
		shred(associationId);
		this.disposal.deleteVersionsOf(associationId);
	}

}
