package org.statemigration.smp.store.internal.upload;

import java.io.IOException;
import java.time.Duration;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.ResumableSegmentedFile;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.ResumableUpload;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.internal.BlobStores;
import org.statemigration.smp.store.internal.Reservation;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.StorageRefusals;
import org.statemigration.smp.store.internal.UploadReservations;
import org.statemigration.smp.store.internal.UploadingVersions;
import org.statemigration.smp.store.internal.UploadingVersions.UploadingVersion;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts a resumable upload: its whole length is reserved at once, its version and upload rows are written in one
 * transaction (the data key made then, kept wrapped like any version's), and its blob is created with the header
 * of its encrypted file alone, durable. An upload that cannot get that far leaves nothing behind.
 */
@Component
public class UploadStarts {

	private static final Log logger = LogFactory.getLog(UploadStarts.class);

	private final UploadReservations reservations;

	private final UploadingVersions versions;

	private final ResumableUploadRepository uploads;

	private final Settings settings;

	private final BlobStores blobs;

	private final TransactionTemplate transactions;

	UploadStarts(UploadReservations reservations, UploadingVersions versions, ResumableUploadRepository uploads,
			Settings settings, BlobStores blobs, PlatformTransactionManager transactions) {
		this.reservations = reservations;
		this.versions = versions;
		this.uploads = uploads;
		this.settings = settings;
		this.blobs = blobs;
		this.transactions = new TransactionTemplate(transactions);
	}

	/**
	 * Starts the upload of {@code length} bytes.
	 * @param expectedSha256 the whole blob's SHA-256 (hex) to verify at the end, or null
	 * @throws org.statemigration.smp.store.InsufficientStorageException if no storage folder has the room
	 * @throws org.statemigration.smp.store.CaptureInProgressException if another capture of the association
	 * started a version at the same moment
	 */
	public ResumableUpload start(UUID id, UUID associationId, long length, String expectedSha256)
			throws IOException {
		Duration expiry = this.settings.current().uploadExpiry();
		Reservation reservation = this.reservations.reserve(associationId, id, length, expiry, true);
		UploadingVersion version;
		try {
			version = this.transactions.execute((status) -> {
				UploadingVersion started = this.versions.start(id, associationId, reservation.folder());
				// the key is kept wrapped only: nothing is written under it before the first chunk
				started.close();
				this.uploads.insert(id, associationId, length, expectedSha256, started.createdAt());
				return started;
			});
		}
		catch (RuntimeException ex) {
			this.reservations.release(reservation);
			throw ex;
		}
		BlobStore store = this.blobs.at(reservation.folder());
		BlobKey key = new BlobKey(associationId, id);
		try (BlobWriter blob = store.createResumable(key)) {
			new ResumableSegmentedFile(id, version.version(), length).create(blob, version.keyVersion());
			blob.force();
		}
		catch (IOException ex) {
			abandon(id, reservation, store, key, ex);
			throw StorageRefusals.unlessDiskFull(ex, store, "nothing was stored");
		}
		catch (RuntimeException ex) {
			abandon(id, reservation, store, key, ex);
			throw ex;
		}
		logger.info("Resumable upload " + id + " of " + length + " bytes started for association " + associationId);
		return new ResumableUpload(id, associationId, length, 0, version.createdAt().plus(expiry));
	}

	/**
	 * Gives back an upload whose blob could not be created: its rows (the version's takes the upload's with it),
	 * its reservation, and whatever of its blob there is. Without a database the rows stay, and the upload's
	 * expiry discards them.
	 */
	private void abandon(UUID id, Reservation reservation, BlobStore store, BlobKey key, Exception failure) {
		try {
			this.uploads.deleteUploading(id);
			this.reservations.release(reservation);
			store.delete(key);
		}
		catch (IOException | RuntimeException ex) {
			failure.addSuppressed(ex);
			logger.warn("Could not give back upload " + id + " that could not start (" + ex.getMessage() + ")");
		}
	}

}
