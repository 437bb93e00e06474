package org.statemigration.smp.managementpoint;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.UUID;

import org.statemigration.smp.association.AssociationLifecycle;
import org.statemigration.smp.association.AssociationParties;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.scrub.DamagedStores;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.StateStores;
import org.statemigration.smp.store.StoredStateStore;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * A restore from its request to its confirmation: the association's current version is read in ranges, each
 * segment authenticated before a byte of it is handed out, as often as the destination needs; once the
 * destination confirms the restore, the data's deletion time is set. A version that the integrity scrub marked
 * damaged is never handed out: neither a restore token nor a byte of it.
 */
@Service
public class Restores {

	private final StateStores stores;

	private final AssociationLifecycle lifecycle;

	private final ComputerAssociations associations;

	private final Settings settings;

	private final DamagedStores damaged;

	public Restores(StateStores stores, AssociationLifecycle lifecycle, ComputerAssociations associations,
			Settings settings, DamagedStores damaged) {
		this.stores = stores;
		this.lifecycle = lifecycle;
		this.associations = associations;
		this.settings = settings;
		this.damaged = damaged;
	}

	/**
	 * Picks the computer's association for a restore, moves it to RESTORING and reads its key and user accounts,
	 * in the caller's transaction.
	 * @throws org.statemigration.smp.scrub.StoreDamagedException if its version is marked damaged
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	GrantedAssociation begin(EnrolledComputer computer) {
		AssociationParties association = this.lifecycle.selectForRestore(computer.computerId());
		this.damaged.refuseRestore(association.id());
		this.lifecycle.beginRestore(association.id());
		return new GrantedAssociation(association.id(), this.associations.keyAndAccounts(association.id()));
	}

	/**
	 * The association's current version: what a restore reads.
	 * @throws org.statemigration.smp.store.NoStateStoreException if nothing has been captured
	 * @throws org.statemigration.smp.scrub.StoreDamagedException if it is marked damaged
	 */
	public StoredStateStore current(UUID associationId) {
		StoredStateStore store = this.stores.current(associationId);
		this.damaged.refuseRestore(associationId);
		return store;
	}

	/**
	 * Opens a range of the version's plaintext. The stream authenticates every segment as it reads it and fails
	 * with an {@link IOException} on tampered data.
	 */
	public InputStream open(StoredStateStore store, long offset, long length) throws IOException {
		return this.stores.open(store, offset, length);
	}

	/**
	 * Confirms the restore its destination reports done, in the caller's transaction: the association becomes
	 * RESTORED, and its data is deleted once the configured delay has passed.
	 * @return when the data is deleted
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	Instant confirm(UUID associationId) {
		return this.lifecycle.completeRestore(associationId, this.settings.current().deleteAfter());
	}

}
