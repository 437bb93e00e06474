package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.ResumableSegmentedFile;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.internal.NodeIdentity;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;
import org.statemigration.smp.store.internal.StateStoreRepository;
import org.statemigration.smp.store.internal.StorageRefusals;
import org.statemigration.smp.store.internal.UploadsInProgress;
import org.statemigration.smp.store.internal.VersionKeys;
import org.statemigration.smp.store.internal.upload.ResumableChunks;
import org.statemigration.smp.store.internal.upload.RunningDigests;
import org.statemigration.smp.store.internal.upload.UploadFiles;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Captures uploaded in pieces over several requests (tus). An upload is a version of the association's store that
 * stays {@code UPLOADING} until its last byte is in: its bytes are reserved when it is created, its data key is
 * made then and kept wrapped like any version's, and its file grows by whole sealed segments. Once complete and
 * verified it is committed exactly like a single-request upload. An upload idle past the upload expiry loses its reservation and is discarded by {@link AbandonedUploads}.
 */
@Service
public class ResumableUploads {

	private static final Log logger = LogFactory.getLog(ResumableUploads.class);

	private final ResumableUploadRepository uploads;

	private final StateStoreRepository stores;

	private final StateStores stateStores;

	private final StorageReservations reservations;

	private final ResumableChunks chunks;

	private final RunningDigests digests;

	private final VersionKeys keys;

	private final NodeIdentity node;

	private final Settings settings;

	private final TransactionTemplate transactions;

	private final Clock clock;

	private final UploadsInProgress inProgress;

	ResumableUploads(ResumableUploadRepository uploads, StateStoreRepository stores, StateStores stateStores,
			StorageReservations reservations, ResumableChunks chunks, RunningDigests digests, VersionKeys keys,
			NodeIdentity node, Settings settings, PlatformTransactionManager transactions, Clock clock,
			UploadsInProgress inProgress) {
		this.inProgress = inProgress;
		this.uploads = uploads;
		this.stores = stores;
		this.stateStores = stateStores;
		this.reservations = reservations;
		this.chunks = chunks;
		this.digests = digests;
		this.keys = keys;
		this.node = node;
		this.settings = settings;
		this.transactions = new TransactionTemplate(transactions);
		this.clock = clock;
	}

	/** The largest upload accepted: the quota of one association's store. */
	public long maxSize() {
		return this.stateStores.maxStoreSize();
	}

	/**
	 * Starts an upload of {@code length} bytes: reserves them, makes the data key and the file with its header.
	 * @param expectedSha256 the whole blob's SHA-256 (hex) to verify at the end, or null
	 * @throws QuotaExceededException if the length is over the quota
	 * @throws InsufficientStorageException if no storage folder has the room
	 */
	public ResumableUpload create(UUID associationId, long length, String expectedSha256) throws IOException {
		long quota = maxSize();
		if (length > quota) {
			throw new QuotaExceededException("The state store is larger than the quota of " + quota + " bytes");
		}
		UUID id = UUID.randomUUID();
		// until its resumable row exists, its reservation looks like a single request's to StrandedUploads
		this.inProgress.begin(id);
		try {
			return create(id, associationId, length, expectedSha256);
		}
		finally {
			this.inProgress.end(id);
		}
	}

	private ResumableUpload create(UUID id, UUID associationId, long length, String expectedSha256) throws IOException {
		Duration expiry = this.settings.current().uploadExpiry();
		Reservation reservation = this.reservations.reserveUpload(associationId, id, length, expiry);
		Path directory = reservation.folder().resolve(associationId.toString());
		try (DataKey key = DataKey.generate()) {
			byte[] wrapped = this.keys.wrap(id, key);
			Instant now = this.clock.instant();
			long version;
			try {
				version = this.transactions.execute((status) -> {
					long next = this.stores.nextVersion(associationId);
					this.stores.insertUploading(id, associationId, next, reservation.folder().toString(),
							id + ".smp", wrapped, this.node.id(), now);
					this.uploads.insert(id, associationId, length, expectedSha256, now);
					return next;
				});
			}
			catch (DuplicateKeyException ex) {
				// another capture of the association took this version number between our read and our insert
				logger.debug("Concurrent capture of association " + associationId, ex);
				throw new CaptureInProgressException();
			}
			try {
				UploadFiles.create(directory, id, new ResumableSegmentedFile(id, version, length),
						this.keys.currentVersion());
			}
			catch (IOException ex) {
				terminate(id);
				throw StorageRefusals.unlessDiskFull(ex, reservation.folder(), "nothing was stored");
			}
			catch (RuntimeException ex) {
				terminate(id);
				throw ex;
			}
			logger.info("Resumable upload " + id + " of " + length + " bytes started for association " + associationId);
			return new ResumableUpload(id, associationId, length, 0, now.plus(expiry));
		}
		catch (RuntimeException ex) {
			this.reservations.release(reservation);
			throw ex;
		}
	}

	/**
	 * The upload as it stands.
	 * @throws NotFoundException if there is no such upload (never was, finished, or discarded)
	 * @throws UploadExpiredException if it was idle past its expiry
	 */
	public ResumableUpload find(UUID id) {
		Row row = row(id);
		return new ResumableUpload(row.id(), row.associationId(), row.length(), row.offset(), row.expiresAt());
	}

	/**
	 * The upload as a client resumes it: first rolled forward over whole segments that a request which ended
	 * early sealed beyond its offset; one whose every segment turns out to be on disk is completed, and the answer
	 * then carries the version to commit.
	 * @throws NotFoundException if there is no such upload
	 * @throws UploadExpiredException if it was idle past its expiry
	 * @throws DigestMismatchException if it completes with another SHA-256 than the declared one; it is discarded
	 */
	public ChunkAppended resume(UUID id) throws IOException {
		try {
			return this.chunks.settle(row(id));
		}
		catch (DigestMismatchException ex) {
			terminate(id);
			throw ex;
		}
	}

	/**
	 * Appends a chunk at {@code offset}, where the upload must stand once rolled forward. A chunk that completes
	 * the upload with another SHA-256 than the declared one discards the upload.
	 * @param contentLength the chunk's declared length, or -1 if unknown
	 * @param checksum the chunk's checksum, or null
	 */
	public ChunkAppended append(UUID id, long offset, InputStream body, long contentLength, UploadChecksum checksum)
			throws IOException {
		try {
			return this.chunks.append(row(id), offset, body, contentLength, checksum);
		}
		catch (DigestMismatchException ex) {
			terminate(id);
			throw ex;
		}
	}

	/** The association an upload belongs to, expired or not; empty if there is no such upload. */
	public Optional<UUID> owner(UUID id) {
		return this.uploads.find(id).map(Row::associationId);
	}

	/**
	 * Makes a completed upload the association's current version, in the caller's transaction, exactly as a
	 * single-request upload is committed.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public StoredStateStore commit(PendingStateStore completed) {
		this.inProgress.endAfterTransaction(completed.id());
		this.uploads.delete(completed.id());
		return this.stateStores.commit(completed);
	}

	/**
	 * Ends an upload that is still uploading and releases its reservation; its files go once that is committed.
	 * A version committed meanwhile is left alone.
	 */
	public void terminate(UUID id) {
		this.transactions.executeWithoutResult((status) -> {
			this.stores.file(id).ifPresent((file) -> {
				if (this.uploads.deleteUploading(id)) {
					this.reservations.releaseUpload(id);
					StoreFiles.deleteAfterCommit(List.of(file));
				}
			});
		});
		this.digests.forget(id);
	}

	/** Throws away a completed upload that could not be committed. */
	public void discard(PendingStateStore completed) {
		try {
			terminate(completed.id());
		}
		finally {
			this.inProgress.end(completed.id());
		}
	}

	private Row row(UUID id) {
		Row row = this.uploads.find(id).orElseThrow(() -> new NotFoundException("No such upload"));
		if (row.expiresAt() == null || !row.expiresAt().isAfter(this.clock.instant())) {
			throw new UploadExpiredException("The upload was idle for longer than the upload expiry");
		}
		return row;
	}

}
