package org.statemigration.smp.store.internal;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The uploads that a request on this server is working on, from before their rows are written until they are
 * committed or thrown away. Whatever this server holds in the database for an upload that is not here belongs
 * to a request that is over, and the periodic reconciliation may release it: an upload is added before its rows
 * exist and removed only once nothing more happens to them, so the check can never catch a live request.
 */
@Component
public class UploadsInProgress {

	private final Set<UUID> uploads = ConcurrentHashMap.newKeySet();

	public void begin(UUID storeId) {
		this.uploads.add(storeId);
	}

	public void end(UUID storeId) {
		this.uploads.remove(storeId);
	}

	/** Ends the upload once the current transaction is over, committed or rolled back. */
	public void endAfterTransaction(UUID storeId) {
		if (!TransactionSynchronizationManager.isSynchronizationActive()) {
			end(storeId);
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCompletion(int status) {
				end(storeId);
			}
		});
	}

	public boolean contains(UUID storeId) {
		return this.uploads.contains(storeId);
	}

}
