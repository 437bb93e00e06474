package org.statemigration.smp.store;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.util.UUID;

import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.blob.StoredObject;
import org.statemigration.smp.store.internal.BlobStores;
import org.statemigration.smp.store.internal.StorageFolders;

import org.springframework.stereotype.Service;

/**
 * The committed blobs of stored versions, as they lie in their storage locations: still encrypted, read and written
 * whole, for a backup to copy out and a restore to put back. The data keys that open them stay in the database;
 * nothing here decrypts.
 */
@Service
public class CommittedBlobs {

	private static final int BUFFER = 1 << 20;

	private final BlobStores stores;

	private final StorageFolders folders;

	CommittedBlobs(BlobStores stores, StorageFolders folders) {
		this.stores = stores;
		this.folders = folders;
	}

	/**
	 * Opens the committed blob of a version in the location its row records.
	 * @throws java.nio.file.NoSuchFileException if there is no such blob (it was deleted, or lost)
	 */
	public InputStream open(String location, UUID associationId, UUID storeId) throws IOException {
		return Channels.newInputStream(this.stores.at(location).read(new BlobKey(associationId, storeId)));
	}

	/** The size in bytes of the committed blob of a version, 0 if there is none. */
	public long size(String location, UUID associationId, UUID storeId) throws IOException {
		return this.stores.at(location)
			.list(new BlobKey(associationId, storeId))
			.stream()
			.filter(StoredObject::committed)
			.mapToLong(StoredObject::size)
			.sum();
	}

	/**
	 * Where a restored version goes: the location its row records, if this server has it configured, else the first
	 * configured location.
	 */
	public String placeFor(String recorded) {
		return this.folders.find(recorded).orElseGet(() -> this.folders.all().get(0)).location();
	}

	/**
	 * Writes a committed blob whole into a configured location: durable and visible under its key once this
	 * returns; on a failure nothing of it is left committed.
	 * @throws java.nio.file.FileAlreadyExistsException if the key has an unfinished blob already
	 */
	public void put(String location, UUID associationId, UUID storeId, InputStream content) throws IOException {
		BlobStore store = this.stores.at(location);
		BlobWriter writer = store.create(new BlobKey(associationId, storeId));
		try {
			OutputStream out = new BufferedOutputStream(Channels.newOutputStream(writer), BUFFER);
			content.transferTo(out);
			out.flush();
			writer.commit();
		}
		catch (IOException | RuntimeException ex) {
			try {
				writer.abort();
			}
			catch (IOException | RuntimeException suppressed) {
				ex.addSuppressed(suppressed);
			}
			throw ex;
		}
	}

}
