package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.StoredObject;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Removal of versions' blobs: only once the transaction that destroyed their keys (or forgot their rows) has
 * committed, so that a rollback never leaves a current version without its blob.
 */
@Component
public class VersionBlobs {

	private static final Log logger = LogFactory.getLog(VersionBlobs.class);

	private final BlobStores stores;

	public VersionBlobs(BlobStores stores) {
		this.stores = stores;
	}

	/**
	 * Deletes everything of the versions (the blob, committed or unfinished, and the tails and scratch of a
	 * resumable upload) after the commit.
	 */
	public void deleteAfterCommit(List<StoredFile> files) {
		if (files.isEmpty()) {
			return;
		}
		TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
			@Override
			public void afterCommit() {
				files.forEach(VersionBlobs.this::delete);
			}
		});
	}

	/** Deletes everything of the version now. */
	public void delete(StoredFile file) {
		try {
			this.stores.at(file.folder()).delete(key(file));
		}
		catch (IOException ex) {
			logger.warn("Could not delete " + file.path() + "; no key can read it any more: delete it by hand (on an "
					+ "S3 location the sweep removes it)", ex);
		}
	}

	/**
	 * Whether the version's blob is committed in the store of its location: a resumable upload that its last
	 * request completed, which then could neither commit nor throw it away.
	 */
	public boolean committed(String location, UUID associationId, UUID storeId) {
		try {
			return this.stores.at(location)
				.list(new BlobKey(associationId, storeId))
				.stream()
				.anyMatch(StoredObject::committed);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/** What a version's blob is stored under. */
	public static BlobKey key(StoredFile file) {
		return new BlobKey(file.associationId(), file.id());
	}

}
