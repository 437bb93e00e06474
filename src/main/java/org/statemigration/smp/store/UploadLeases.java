package org.statemigration.smp.store;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;
import org.statemigration.smp.store.internal.UploadRollForward;

import org.springframework.stereotype.Component;

/**
 * One request at a time per resumable upload: a lease on its row, taken with a conditional update at the stored
 * offset (so that it works the same from any server) and an in-memory guard on this server. Whatever a request
 * does to an upload runs under the lease, with the upload's data key, once the upload is rolled forward over the
 * segments a request that ended early left beyond its offset ({@link UploadRollForward}).
 */
@Component
class UploadLeases {

	private static final Log logger = LogFactory.getLog(UploadLeases.class);

	/** How long a lease lasts without renewal; requests renew theirs while they stream. */
	private static final Duration LEASE = Duration.ofMinutes(15);

	private final ResumableUploadRepository uploads;

	private final StorageReservations reservations;

	private final KeyEncryptionKeys keys;

	private final NodeIdentity node;

	private final Settings settings;

	private final Clock clock;

	private final UploadRollForward rollForward;

	private final UploadsInProgress inProgress;

	/** Uploads a request on this server is writing: the lease alone would let this server's requests collide. */
	private final Set<UUID> writing = ConcurrentHashMap.newKeySet();

	UploadLeases(ResumableUploadRepository uploads, StorageReservations reservations, KeyEncryptionKeys keys,
			NodeIdentity node, Settings settings, Clock clock, UploadRollForward rollForward,
			UploadsInProgress inProgress) {
		this.inProgress = inProgress;
		this.uploads = uploads;
		this.reservations = reservations;
		this.keys = keys;
		this.node = node;
		this.settings = settings;
		this.clock = clock;
		this.rollForward = rollForward;
	}

	/**
	 * Runs the work under the upload's lease, taken at its stored offset, once the upload is rolled forward.
	 * @param required whether a lease held by another request is a conflict; if not, the answer is null
	 */
	ChunkAppended run(Row row, boolean required, Work work) throws IOException {
		if (!this.writing.add(row.id())) {
			if (required) {
				throw new UploadConflictException("Another request is writing this upload");
			}
			return null;
		}
		this.inProgress.begin(row.id());
		ChunkAppended done = null;
		try {
			Instant now = this.clock.instant();
			if (!this.uploads.lease(row.id(), row.offset(), this.node.id(), now, now.plus(LEASE))) {
				if (required) {
					throw new UploadConflictException("Another request is writing this upload, or its offset moved on");
				}
				return null;
			}
			try {
				UploadKeeper keeper = new UploadKeeper(row, this.uploads, this.reservations, this.node.id(),
						this.settings, this.clock, LEASE);
				byte[] rawKey = this.keys.unwrap(row.wrappedKey(), StateStores.keyContext(row.id()));
				try (DataKey key = DataKey.of(rawKey)) {
					done = work.run(key, this.rollForward.rollForward(row, key, this.node.id()), keeper);
					return done;
				}
				finally {
					Arrays.fill(rawKey, (byte) 0);
				}
			}
			catch (ChunkInterruptedException ex) {
				throw ex;
			}
			catch (IOException ex) {
				if (StateStores.isDiskFull(ex, row.folder())) {
					throw new InsufficientStorageException(
							"The storage folder ran out of space; the upload stays where it was");
				}
				throw ex;
			}
			finally {
				// a no-op once the offset moved on, which gives the lease back; this server's other requests for
				// the upload are kept out by the in-memory guard, so the lease released here is this request's. A
				// completed upload keeps it until its commit or discard removes the row: until then no request
				// may take its file back from where the commit expects it
				if (done == null || done.completed() == null) {
					release(row);
				}
			}
		}
		finally {
			this.writing.remove(row.id());
			// a completed upload stays in progress: the request goes on to commit it (or throw it away)
			if (done == null || done.completed() == null) {
				this.inProgress.end(row.id());
			}
		}
	}

	/**
	 * Gives the lease back. Without a database it stays where it is, and the request's own outcome stands: the
	 * periodic reconciliation ({@link StrandedUploads}) gives it back once the database is there again.
	 */
	private void release(Row row) {
		try {
			this.uploads.release(row.id(), this.node.id());
		}
		catch (RuntimeException ex) {
			logger.warn("Could not give back the lease of upload " + row.id() + " (" + ex.getMessage()
					+ "); it is released once the database answers again");
		}
	}

	/** What a request does under the lease, with the upload's data key, from the offset it was rolled forward to. */
	@FunctionalInterface
	interface Work {

		ChunkAppended run(DataKey key, long offset, UploadKeeper keeper) throws IOException;

	}

}
