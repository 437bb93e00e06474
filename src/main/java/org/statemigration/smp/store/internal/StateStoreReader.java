package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.crypto.CiphertextAuthenticationException;
import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.SegmentedDecryptingReader;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.store.NoStateStoreException;
import org.statemigration.smp.store.StoredStateStore;
import org.statemigration.smp.store.internal.StateStoreRepository.StoredFile;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Finds committed versions and reads their plaintext: the blob is read from its store by byte range, every
 * segment authenticated before any of its bytes is handed out, and decrypted ahead on a second thread while the
 * request's thread writes to the client.
 */
@Component
public class StateStoreReader {

	private final StateStoreRepository stores;

	private final VersionKeys keys;

	private final BlobStores blobs;

	private final AsyncTaskExecutor readAhead;

	StateStoreReader(StateStoreRepository stores, VersionKeys keys, BlobStores blobs,
			@Qualifier(TransferExecutorConfiguration.TRANSFER_EXECUTOR) AsyncTaskExecutor readAhead) {
		this.stores = stores;
		this.keys = keys;
		this.blobs = blobs;
		this.readAhead = readAhead;
	}

	/** The association's committed version, if any. */
	public Optional<StoredStateStore> current(UUID associationId) {
		return this.stores.current(associationId);
	}

	/** Where a version's blob lies. */
	public String location(StoredStateStore store) {
		return this.stores.file(store.id())
			.map(StoredFile::path)
			.orElseThrow(() -> new NoStateStoreException("The state store is no longer available"));
	}

	/**
	 * Opens a range of a version's plaintext. The stream authenticates every segment as it reads it and fails with
	 * an {@link IOException} on tampered data.
	 */
	public InputStream open(StoredStateStore store, long offset, long length) throws IOException {
		StoredFile file = this.stores.file(store.id())
			.filter((f) -> f.wrappedKey() != null)
			.orElseThrow(() -> new NoStateStoreException("The state store is no longer available"));
		SeekableByteChannel channel = this.blobs.at(file.folder()).read(VersionBlobs.key(file));
		try (DataKey key = this.keys.unwrap(store.id(), file.wrappedKey())) {
			SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(channel, key,
					SegmentedStreamFormat.associatedData(store.id(), store.version()));
			if (reader.plaintextSize() != store.sizeBytes()) {
				// a range that ends before the last segment could not notice a truncated or extended blob
				throw new CiphertextAuthenticationException("State store " + store.id() + " has "
						+ reader.plaintextSize() + " bytes stored, " + store.sizeBytes() + " were committed");
			}
			return new ReadAheadInputStream(new ChannelClosingInputStream(reader.open(offset, length), channel),
					this.readAhead);
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

}
