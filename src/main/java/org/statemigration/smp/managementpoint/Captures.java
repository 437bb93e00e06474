package org.statemigration.smp.managementpoint;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

import org.statemigration.smp.association.AssociationLifecycle;
import org.statemigration.smp.association.AssociationParties;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.association.KeyAndAccounts;
import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.settings.RuntimeSettings;
import org.statemigration.smp.store.ChunkAppended;
import org.statemigration.smp.store.PendingStateStore;
import org.statemigration.smp.store.ResumableUpload;
import org.statemigration.smp.store.ResumableUploads;
import org.statemigration.smp.store.StateStores;
import org.statemigration.smp.store.StorageReservations;
import org.statemigration.smp.store.StoredStateStore;
import org.statemigration.smp.store.UploadChecksum;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A capture from its request to its release, whether the body comes in one request or in pieces (tus). The body is
 * streamed to disk outside any transaction (it may take hours), then the new version and the association's size
 * and digest are committed together; if that commit fails the written version is thrown away. Both ways of
 * uploading end in that one commit, so a version becomes current in the same way however it arrived.
 */
@Service
public class Captures {

	private static final Runnable NO_LAST_CHECK = () -> {
	};

	private final StateStores stores;

	private final ResumableUploads uploads;

	private final AssociationLifecycle lifecycle;

	private final ComputerAssociations associations;

	private final StorageReservations reservations;

	private final TransactionTemplate transactions;

	public Captures(StateStores stores, ResumableUploads uploads, AssociationLifecycle lifecycle,
			ComputerAssociations associations, StorageReservations reservations, TransactionTemplate transactions) {
		this.stores = stores;
		this.uploads = uploads;
		this.lifecycle = lifecycle;
		this.associations = associations;
		this.reservations = reservations;
		this.transactions = transactions;
	}

	/**
	 * Picks the computer's association for a capture, moves it to CAPTURING, reads its key and user accounts and
	 * reserves room for its client for as long as a token lives, in the caller's transaction.
	 * @param settings the runtime settings, read in that transaction
	 * @throws RestoreOnlyModeException if the server refuses captures
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	GrantedAssociation begin(EnrolledComputer computer, RuntimeSettings settings) {
		if (settings.restoreOnlyMode()) {
			throw new RestoreOnlyModeException("The server is in restore-only mode: captures are refused");
		}
		AssociationParties association = this.lifecycle.beginCapture(computer.computerId());
		KeyAndAccounts keyAndAccounts = this.associations.keyAndAccounts(association.id());
		// last: a new reservation locks the storage folders until the commit, which every other new one waits for
		this.reservations.reserveClient(association.id(), settings.tokenTtl());
		return new GrantedAssociation(association.id(), keyAndAccounts);
	}

	/**
	 * Stores a body sent in one request, then runs a last check of the received body (a digest the store does
	 * not compute itself), and commits only if it passes: a failed check leaves nothing behind.
	 * @param declaredLength the body's length, or -1 if it is chunked
	 * @param expectedSha256 the SHA-256 the body must have, or null
	 */
	public StoredStateStore receive(UUID associationId, InputStream body, long declaredLength, byte[] expectedSha256,
			Runnable checkBeforeCommit) throws IOException {
		PendingStateStore pending = this.stores.receive(associationId, body, declaredLength, expectedSha256);
		return commit(pending, checkBeforeCommit, this.stores::commit, this.stores::discard);
	}

	/** The largest upload in pieces accepted: the quota of one association's store. */
	public long maxSize() {
		return this.uploads.maxSize();
	}

	/**
	 * Starts an upload in pieces of {@code length} bytes.
	 * @param expectedSha256 the whole blob's SHA-256 (hex) to verify at the end, or null
	 */
	public ResumableUpload create(UUID associationId, long length, String expectedSha256) throws IOException {
		return this.uploads.create(associationId, length, expectedSha256);
	}

	/** The association an upload belongs to; empty if there is no such upload. */
	public Optional<UUID> owner(UUID uploadId) {
		return this.uploads.owner(uploadId);
	}

	/**
	 * Appends a chunk; commits the store when it is the last one.
	 * @param contentLength the chunk's declared length, or -1 if unknown
	 * @param checksum the chunk's checksum, or null
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

	/** Ends an upload in pieces before it is complete, and releases what it holds. */
	public void terminate(UUID uploadId) {
		this.uploads.terminate(uploadId);
	}

	/**
	 * Ends a capture its client reports done, in the caller's transaction: the association becomes CAPTURED and
	 * the room held for its client is released.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	void complete(UUID associationId) {
		this.lifecycle.completeCapture(associationId);
		this.reservations.releaseAssociation(associationId);
	}

	private ResumableUpload commitIfComplete(ChunkAppended appended) {
		if (appended.completed() != null) {
			commit(appended.completed(), NO_LAST_CHECK, this.uploads::commit, this.uploads::discard);
		}
		return appended.upload();
	}

	/**
	 * The one way a received version becomes current: in one transaction with the association's size and digest,
	 * or not at all.
	 */
	private StoredStateStore commit(PendingStateStore pending, Runnable lastCheck,
			Function<PendingStateStore, StoredStateStore> commit, Consumer<PendingStateStore> discard) {
		try {
			lastCheck.run();
			return this.transactions.execute((status) -> {
				StoredStateStore stored = commit.apply(pending);
				this.lifecycle.recordCapturedData(stored.associationId(), stored.sizeBytes(), stored.sha256());
				return stored;
			});
		}
		catch (RuntimeException ex) {
			discard.accept(pending);
			throw ex;
		}
	}

}
