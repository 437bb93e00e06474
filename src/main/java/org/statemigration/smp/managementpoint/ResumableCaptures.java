package org.statemigration.smp.managementpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;

import org.statemigration.smp.association.AssociationLifecycle;
import org.statemigration.smp.store.ChunkAppended;
import org.statemigration.smp.store.ResumableUpload;
import org.statemigration.smp.store.ResumableUploads;
import org.statemigration.smp.store.StoredStateStore;
import org.statemigration.smp.store.UploadChecksum;

import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A capture uploaded in pieces (tus): the chunks go to the store's resumable uploads, and the chunk that completes
 * one commits the new version together with the association's size and digest, as {@link StateStoreTransfers}
 * does for a single-request upload. If that commit fails the upload is thrown away.
 */
@Service
public class ResumableCaptures {

	private final ResumableUploads uploads;

	private final AssociationLifecycle lifecycle;

	private final TransactionTemplate transactions;

	public ResumableCaptures(ResumableUploads uploads, AssociationLifecycle lifecycle,
			TransactionTemplate transactions) {
		this.uploads = uploads;
		this.lifecycle = lifecycle;
		this.transactions = transactions;
	}

	/**
	 * Appends a chunk; commits the store when it is the last one.
	 * @return the upload with its new offset
	 */
	public ResumableUpload append(UUID uploadId, long offset, InputStream body, long contentLength,
			UploadChecksum checksum) throws IOException {
		return commitIfComplete(this.uploads.append(uploadId, offset, body, contentLength, checksum));
	}

	/**
	 * The upload where a client resumes it, rolled forward over what a request that ended early left on disk;
	 * commits the store if that turns out to be all of it.
	 */
	public ResumableUpload resume(UUID uploadId) throws IOException {
		return commitIfComplete(this.uploads.resume(uploadId));
	}

	private ResumableUpload commitIfComplete(ChunkAppended appended) {
		if (appended.completed() != null) {
			try {
				this.transactions.executeWithoutResult((status) -> {
					StoredStateStore stored = this.uploads.commit(appended.completed());
					this.lifecycle.recordCapturedData(stored.associationId(), stored.sizeBytes(), stored.sha256());
				});
			}
			catch (RuntimeException ex) {
				this.uploads.discard(appended.completed());
				throw ex;
			}
		}
		return appended.upload();
	}

}
