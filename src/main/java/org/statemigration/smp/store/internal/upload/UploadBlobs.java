package org.statemigration.smp.store.internal.upload;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.Optional;

import org.statemigration.smp.crypto.ResumableSegmentedFile;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.blob.StoredObject;
import org.statemigration.smp.store.internal.BlobStores;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;

import org.springframework.stereotype.Component;

/**
 * A resumable upload's objects in the blob store of its folder: the blob, unfinished while it grows by whole sealed
 * segments (committed when complete, as for any upload); a small object per offset inside a segment that holds
 * the sealed bytes after the last whole segment ({@code <offset>.tail}); and the scratch that holds a chunk until
 * its checksum is verified. Other small objects of the blob are the store's own (an S3 location's pending bytes
 * after its last part), and are left to it.
 */
@Component
class UploadBlobs {

	private static final String TAIL = ".tail";

	private final BlobStores stores;

	UploadBlobs(BlobStores stores) {
		this.stores = stores;
	}

	BlobStore store(Row row) {
		return this.stores.at(row.folder());
	}

	/** The unfinished blob, to read and write; one committed but never recorded so is taken back first. */
	BlobWriter resume(Row row) throws IOException {
		return store(row).resume(key(row));
	}

	/** The blob as it stands, to look at without changing anything. */
	SeekableByteChannel read(Row row) throws IOException {
		return store(row).read(key(row));
	}

	/** The tail sealed at this offset, if there is one. */
	Optional<byte[]> tail(Row row, long offset) throws IOException {
		return store(row).getSmall(key(row), offset + TAIL, ResumableSegmentedFile.MAX_TAIL_LENGTH);
	}

	/** Keeps a sealed tail for this offset, durable and whole. */
	void keepTail(Row row, long offset, byte[] sealed) throws IOException {
		store(row).putSmall(key(row), offset + TAIL, sealed);
	}

	/** Deletes the upload's tails but the one of this offset, if it has one. */
	void deleteTailsBut(Row row, long offset) throws IOException {
		deleteTails(row, offset + TAIL);
	}

	/** Deletes all the upload's tails. */
	void deleteTails(Row row) throws IOException {
		deleteTails(row, null);
	}

	private void deleteTails(Row row, String kept) throws IOException {
		BlobStore store = store(row);
		for (StoredObject object : store.list(key(row))) {
			if (object.kind() == StoredObject.Kind.SMALL && object.name().endsWith(TAIL) && !object.name().equals(kept)) {
				store.delete(object);
			}
		}
	}

	/** The scratch for a chunk held until its checksum is verified; gone once closed. */
	SeekableByteChannel spool(Row row) throws IOException {
		return store(row).scratch(key(row));
	}

	static BlobKey key(Row row) {
		return new BlobKey(row.associationId(), row.id());
	}

}
