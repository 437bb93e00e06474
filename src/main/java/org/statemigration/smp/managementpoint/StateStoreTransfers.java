package org.statemigration.smp.managementpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

import org.statemigration.smp.association.AssociationLifecycle;
import org.statemigration.smp.store.PendingStateStore;
import org.statemigration.smp.store.StateStores;
import org.statemigration.smp.store.StoredStateStore;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A capture upload from the authorized request to the committed version: the body is streamed to disk outside
 * any transaction (it may take hours), then the new version and the association's size and digest are committed
 * together. If that commit fails the written version is thrown away.
 */
@Service
public class StateStoreTransfers {

	private final StateStores stores;

	private final AssociationLifecycle lifecycle;

	private final TransactionTemplate transactions;

	public StateStoreTransfers(StateStores stores, AssociationLifecycle lifecycle, TransactionTemplate transactions) {
		this.stores = stores;
		this.lifecycle = lifecycle;
		this.transactions = transactions;
	}

	public StoredStateStore capture(UUID associationId, InputStream body, long declaredLength, byte[] expectedSha256)
			throws IOException {
		return capture(associationId, body, declaredLength, expectedSha256, () -> {
		});
	}

	/**
	 * Stores the body, then runs a last check of the received body (a digest the store does not compute itself),
	 * and commits only if it passes: a failed check leaves nothing behind.
	 */
	public StoredStateStore capture(UUID associationId, InputStream body, long declaredLength, byte[] expectedSha256,
			Runnable checkBeforeCommit) throws IOException {
		PendingStateStore pending = this.stores.receive(associationId, body, declaredLength, expectedSha256);
		try {
			checkBeforeCommit.run();
			return this.transactions.execute((status) -> {
				StoredStateStore stored = this.stores.commit(pending);
				this.lifecycle.recordCapturedData(associationId, stored.sizeBytes(), stored.sha256());
				return stored;
			});
		}
		catch (RuntimeException ex) {
			this.stores.discard(pending);
			throw ex;
		}
	}

}
