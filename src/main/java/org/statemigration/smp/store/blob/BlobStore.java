package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Optional;

/**
 * Where the store keeps the ciphertext of its versions: one blob store per storage location. It only ever sees
 * ciphertext; encryption, hashing, the database and the order of a capture's steps are the store's, above it.
 * <p>
 * A version's objects are found by its {@link BlobKey}: its blob, written through a {@link BlobWriter} and
 * committed whole, or while unfinished resumed across requests; small objects beside it, each written whole
 * (the sealed tails of a resumable upload); and a scratch that lives as long as one request (a chunk held until
 * its checksum is verified). Each method says what survives a crash once it returns.
 * <p>
 * The local folder ({@link FolderBlobStore}) is the first kind; an S3 bucket
 * ({@link org.statemigration.smp.store.blob.s3.S3BlobStore}) maps the same operations onto multipart uploads, whole
 * objects, ranged reads, the listing of unfinished uploads and a capacity budget. A store that cannot be reached
 * fails with {@link BlobStoreUnavailableException}.
 */
public interface BlobStore {

	/**
	 * Starts a new, unfinished blob under the key. Nothing of it is durable before its writer's
	 * {@link BlobWriter#force} or {@link BlobWriter#commit}.
	 * @throws java.nio.file.FileAlreadyExistsException if the key has an unfinished blob already
	 */
	BlobWriter create(BlobKey key) throws IOException;

	/**
	 * Starts a new, unfinished blob under the key that requests on any server may go on with
	 * ({@link #resume}) until it is committed: a resumable upload's. A folder makes the same blob as
	 * {@link #create}; a store that keeps an unfinished blob's state apart from it (an S3 location's part ledger)
	 * records it here. Nothing of it is durable before its writer's {@link BlobWriter#force} or
	 * {@link BlobWriter#commit}.
	 * @throws java.nio.file.FileAlreadyExistsException if the key has an unfinished blob already
	 */
	default BlobWriter createResumable(BlobKey key) throws IOException {
		return create(key);
	}

	/**
	 * Goes on writing the unfinished blob under the key. A blob that was committed but whose version the database
	 * never recorded as such (a crash in between) is taken back first, durably, to be completed again.
	 * @throws java.nio.file.NoSuchFileException if there is no such blob
	 */
	BlobWriter resume(BlobKey key) throws IOException;

	/**
	 * Reads the blob under the key from any position: the committed one, or while there is none the unfinished one
	 * as it stands (an S3 location tells only its header and its size then: see {@link BlobWriter#readableFrom}).
	 * Changes nothing.
	 * @throws java.nio.file.NoSuchFileException if there is no such blob
	 */
	SeekableByteChannel read(BlobKey key) throws IOException;

	/**
	 * Writes a small object of the key whole: once this returns it is durable, and a crash at any moment leaves
	 * either the previous object of that name, or nothing, or this one, never a part.
	 */
	void putSmall(BlobKey key, String name, byte[] bytes) throws IOException;

	/**
	 * Reads a small object of the key, if there is one.
	 * @throws IOException if it is larger than {@code maxLength}
	 */
	Optional<byte[]> getSmall(BlobKey key, String name, int maxLength) throws IOException;

	/**
	 * Opens the key's scratch, empty, to be written and read back by one request; it is gone once the channel is
	 * closed. Nothing of it is durable: after a crash it may be left over, for the reconciliation to remove.
	 */
	SeekableByteChannel scratch(BlobKey key) throws IOException;

	/** Every object in the store, for the reconciliation with the database. */
	List<StoredObject> list() throws IOException;

	/** The objects of the key. */
	List<StoredObject> list(BlobKey key) throws IOException;

	/** Deletes an object. Not durable: after a crash it may be there again. */
	void delete(StoredObject object) throws IOException;

	/** Deletes every object of the key. Not durable: after a crash some may be there again. */
	void delete(BlobKey key) throws IOException;

	/** The room of the store now. */
	Room room();

	/**
	 * Whether the store can be written to now: a folder takes a probe file, an object store answers for its
	 * bucket. Meant for the health indicator: it may take a round trip.
	 */
	boolean writable();

	/**
	 * Whether an unfinished blob can be gone on with across requests ({@link #resume}), which a resumable upload
	 * needs: the reservation of a resumable upload only chooses among stores that can.
	 */
	default boolean resumable() {
		return true;
	}

}
