package org.statemigration.smp.store.internal.upload;

import java.util.List;
import java.util.UUID;

import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.StateStoreRepository;
import org.statemigration.smp.store.internal.UploadReservations;
import org.statemigration.smp.store.internal.VersionBlobs;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Ends resumable uploads that will not be committed: terminated by their client, failed their digest, or could not
 * be committed.
 */
@Component
public class UploadEnds {

	private final StateStoreRepository stores;

	private final ResumableUploadRepository uploads;

	private final UploadReservations reservations;

	private final VersionBlobs blobs;

	private final RunningDigests digests;

	private final TransactionTemplate transactions;

	UploadEnds(StateStoreRepository stores, ResumableUploadRepository uploads, UploadReservations reservations,
			VersionBlobs blobs, RunningDigests digests, PlatformTransactionManager transactions) {
		this.stores = stores;
		this.uploads = uploads;
		this.reservations = reservations;
		this.blobs = blobs;
		this.digests = digests;
		this.transactions = new TransactionTemplate(transactions);
	}

	/**
	 * Ends an upload that is still uploading and releases its reservation; its blob goes once that is committed.
	 * A version committed meanwhile is left alone.
	 */
	public void terminate(UUID id) {
		this.transactions.executeWithoutResult((status) -> {
			this.stores.file(id).ifPresent((file) -> {
				if (this.uploads.deleteUploading(id)) {
					this.reservations.releaseUpload(id);
					this.blobs.deleteAfterCommit(List.of(file));
				}
			});
		});
		this.digests.forget(id);
	}

}
