package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;
import org.statemigration.smp.store.internal.StorageRefusals;
import org.statemigration.smp.store.internal.UploadsInProgress;
import org.statemigration.smp.store.internal.upload.ResumableChunks;
import org.statemigration.smp.store.internal.upload.UploadEnds;
import org.statemigration.smp.store.internal.upload.UploadRows;
import org.statemigration.smp.store.internal.upload.UploadStarts;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Captures uploaded in pieces over several requests (tus). An upload is a version of the association's store that
 * stays {@code UPLOADING} until its last byte is in: its bytes are reserved when it is created, its data key is
 * made then and kept wrapped like any version's, and its blob grows by whole sealed segments. Once complete and
 * verified it is committed exactly like a single-request upload. An upload idle past the upload expiry loses its
 * reservation and is discarded by {@link AbandonedUploads}.
 */
@Service
public class ResumableUploads {

	private final UploadRows rows;

	private final UploadStarts starts;

	private final ResumableChunks chunks;

	private final UploadEnds ends;

	private final StateStores stateStores;

	private final UploadsInProgress inProgress;

	ResumableUploads(UploadRows rows, UploadStarts starts, ResumableChunks chunks, UploadEnds ends,
			StateStores stateStores, UploadsInProgress inProgress) {
		this.rows = rows;
		this.starts = starts;
		this.chunks = chunks;
		this.ends = ends;
		this.stateStores = stateStores;
		this.inProgress = inProgress;
	}

	/** The largest upload accepted: the quota of one association's store. */
	public long maxSize() {
		return this.stateStores.maxStoreSize();
	}

	/**
	 * Starts an upload of {@code length} bytes: reserves them, makes the data key and the blob with its header.
	 * @param expectedSha256 the whole blob's SHA-256 (hex) to verify at the end, or null
	 * @throws QuotaExceededException if the length is over the quota
	 * @throws InsufficientStorageException if no storage folder has the room
	 */
	public ResumableUpload create(UUID associationId, long length, String expectedSha256) throws IOException {
		StorageRefusals.refuseOverQuota(length, maxSize());
		UUID id = UUID.randomUUID();
		// until its resumable row exists, its reservation looks like a single request's to the reconciliation
		this.inProgress.begin(id);
		try {
			return this.starts.start(id, associationId, length, expectedSha256);
		}
		finally {
			this.inProgress.end(id);
		}
	}

	/**
	 * The upload as it stands.
	 * @throws NotFoundException if there is no such upload (never was, finished, or discarded)
	 * @throws UploadExpiredException if it was idle past its expiry
	 */
	public ResumableUpload find(UUID id) {
		Row row = this.rows.live(id);
		return new ResumableUpload(row.id(), row.associationId(), row.length(), row.offset(), row.expiresAt());
	}

	/**
	 * The upload as a client resumes it: first rolled forward over whole segments that a request which ended
	 * early sealed beyond its offset; one whose every segment turns out to be stored is completed, and the answer
	 * then carries the version to commit.
	 * @throws NotFoundException if there is no such upload
	 * @throws UploadExpiredException if it was idle past its expiry
	 * @throws DigestMismatchException if it completes with another SHA-256 than the declared one; it is discarded
	 */
	public ChunkAppended resume(UUID id) throws IOException {
		try {
			return this.chunks.settle(this.rows.live(id));
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
			return this.chunks.append(this.rows.live(id), offset, body, contentLength, checksum);
		}
		catch (DigestMismatchException ex) {
			terminate(id);
			throw ex;
		}
	}

	/** The association an upload belongs to, expired or not; empty if there is no such upload. */
	public Optional<UUID> owner(UUID id) {
		return this.rows.owner(id);
	}

	/**
	 * Makes a completed upload the association's current version, in the caller's transaction, exactly as a
	 * single-request upload is committed.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public StoredStateStore commit(PendingStateStore completed) {
		this.inProgress.endAfterTransaction(completed.id());
		this.rows.committed(completed.id());
		return this.stateStores.commit(completed);
	}

	/**
	 * Ends an upload that is still uploading and releases its reservation; its blob goes once that is committed.
	 * A version committed meanwhile is left alone.
	 */
	public void terminate(UUID id) {
		this.ends.terminate(id);
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

}
