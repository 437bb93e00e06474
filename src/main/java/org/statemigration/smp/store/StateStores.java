package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.association.AssociationDeleted;
import org.statemigration.smp.settings.RuntimeSettings;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.internal.StateStoreReader;
import org.statemigration.smp.store.internal.StateStoreWriter;
import org.statemigration.smp.store.internal.StorageRefusals;
import org.statemigration.smp.store.internal.UploadsInProgress;
import org.statemigration.smp.store.internal.VersionCommits;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Writes and reads the encrypted versions of state stores. A new version is streamed into a new blob, verified,
 * and committed in its blob store, durable and whole ({@link #receive}); only then does {@link #commit} make it
 * current in the database, in the caller's transaction. A crash at any point leaves the previous version current
 * and readable.
 */
@Service
public class StateStores {

	private final Settings settings;

	private final UploadsInProgress inProgress;

	private final StateStoreWriter writer;

	private final StateStoreReader reader;

	private final VersionCommits commits;

	StateStores(Settings settings, UploadsInProgress inProgress, StateStoreWriter writer, StateStoreReader reader,
			VersionCommits commits) {
		this.settings = settings;
		this.inProgress = inProgress;
		this.writer = writer;
		this.reader = reader;
		this.commits = commits;
	}

	public long maxStoreSize() {
		return this.settings.current().maxStoreSizeBytes();
	}

	/**
	 * Streams a new version of the association's store into its blob store, durable and verified, but not yet
	 * current.
	 * @param declaredLength Content-Length, or -1 for a chunked body
	 * @param expectedSha256 the SHA-256 the client declared, or null
	 */
	public PendingStateStore receive(UUID associationId, InputStream body, long declaredLength, byte[] expectedSha256)
			throws IOException {
		RuntimeSettings settings = this.settings.current();
		long quota = settings.maxStoreSizeBytes();
		StorageRefusals.refuseOverQuota(declaredLength, quota);
		UUID id = UUID.randomUUID();
		// before any row names it: from here until commit or discard, nothing it holds is stranded
		this.inProgress.begin(id);
		boolean received = false;
		try {
			PendingStateStore pending = this.writer.write(id, associationId, body, declaredLength, expectedSha256,
					settings);
			received = true;
			return pending;
		}
		finally {
			if (!received) {
				this.inProgress.end(id);
			}
		}
	}

	/**
	 * Makes a received version the association's current one, in the caller's transaction; the versions it
	 * replaces are shredded, and their blobs removed once the transaction commits.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public StoredStateStore commit(PendingStateStore pending) {
		return this.commits.commit(pending);
	}

	/** Throws away a received version that could not be committed. */
	public void discard(PendingStateStore pending) {
		this.commits.discard(pending);
	}

	/**
	 * The association's current version.
	 * @throws NoStateStoreException if nothing has been captured
	 */
	@Transactional(readOnly = true)
	public StoredStateStore current(UUID associationId) {
		return this.reader.current(associationId)
			.orElseThrow(() -> new NoStateStoreException("Nothing has been captured for this association yet"));
	}

	/** The association's current version, or empty before any capture. */
	@Transactional(readOnly = true)
	public Optional<StoredStateStore> findCurrent(UUID associationId) {
		return this.reader.current(associationId);
	}

	/** Where a version's encrypted blob lies. */
	@Transactional(readOnly = true)
	public String location(StoredStateStore store) {
		return this.reader.location(store);
	}

	/**
	 * Opens a range of a version's plaintext. The stream authenticates every segment as it reads it and fails
	 * with an {@link IOException} on tampered data.
	 */
	public InputStream open(StoredStateStore store, long offset, long length) throws IOException {
		return this.reader.open(store, offset, length);
	}

	/** Destroys an association's data when it is deleted: keys first (crypto-shredding), blobs after commit. */
	@EventListener
	@Transactional(propagation = Propagation.MANDATORY)
	public void onAssociationDeleted(AssociationDeleted event) {
		this.commits.shred(event.associationId());
	}

}
