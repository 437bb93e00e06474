package org.statemigration.smp.store.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.store.CaptureInProgressException;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Component;

/**
 * Starts new versions: the {@code UPLOADING} row of each, with the next version number of its association and a
 * fresh data key, wrapped, is written before any byte of it is stored, so that everything in the storage folders has
 * a row that names it.
 */
@Component
public class UploadingVersions {

	private static final Log logger = LogFactory.getLog(UploadingVersions.class);

	private final StateStoreRepository stores;

	private final VersionKeys keys;

	private final NodeIdentity node;

	private final Clock clock;

	UploadingVersions(StateStoreRepository stores, VersionKeys keys, NodeIdentity node, Clock clock) {
		this.stores = stores;
		this.keys = keys;
		this.node = node;
		this.clock = clock;
	}

	/**
	 * Inserts the row of a new version, to be stored in the folder.
	 * @return the version, with its data key (the caller's to close)
	 * @throws CaptureInProgressException if another capture of the association took the next version number
	 * between our read and our insert
	 */
	public UploadingVersion start(UUID id, UUID associationId, String folder) {
		long version = this.stores.nextVersion(associationId);
		DataKey key = DataKey.generate();
		try {
			Instant now = this.clock.instant();
			this.stores.insertUploading(id, associationId, version, folder, id + ".smp",
					this.keys.wrap(id, key), this.node.id(), now);
			return new UploadingVersion(id, version, key, this.keys.currentVersion(), now);
		}
		catch (DuplicateKeyException ex) {
			key.close();
			logger.debug("Concurrent capture of association " + associationId, ex);
			throw new CaptureInProgressException();
		}
		catch (RuntimeException ex) {
			key.close();
			throw ex;
		}
	}

	/** Forgets the row of a version whose upload failed, and with it its data key. */
	public void forget(UUID id) {
		this.stores.delete(id);
	}

	/**
	 * A version just started.
	 * @param keyVersion the version of the key-encryption keys that wrapped its key, to record in its header
	 */
	public record UploadingVersion(UUID id, long version, DataKey key, int keyVersion, Instant createdAt)
			implements AutoCloseable {

		/** Zeroes the data key. */
		@Override
		public void close() {
			this.key.close();
		}

	}

}
