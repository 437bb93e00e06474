package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Optional;

import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.BlobStoreUnavailableException;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.blob.Room;
import org.statemigration.smp.store.blob.StoredObject;

/**
 * The store of an S3 location that versions record but the configuration no longer names: without its endpoint
 * and credentials nothing of it can be reached, so every operation fails as an unreachable store does, and what
 * is there stays until the location is configured again.
 */
final class UnconfiguredBlobStore implements BlobStore {

	private final String location;

	UnconfiguredBlobStore(String location) {
		this.location = location;
	}

	private IOException unavailable() {
		return new BlobStoreUnavailableException("Storage location " + this.location
				+ " is no longer configured: its versions cannot be read or deleted until it is configured again", null);
	}

	@Override
	public BlobWriter create(BlobKey key) throws IOException {
		throw unavailable();
	}

	@Override
	public BlobWriter resume(BlobKey key) throws IOException {
		throw unavailable();
	}

	@Override
	public SeekableByteChannel read(BlobKey key) throws IOException {
		throw unavailable();
	}

	@Override
	public void putSmall(BlobKey key, String name, byte[] bytes) throws IOException {
		throw unavailable();
	}

	@Override
	public Optional<byte[]> getSmall(BlobKey key, String name, int maxLength) throws IOException {
		throw unavailable();
	}

	@Override
	public SeekableByteChannel scratch(BlobKey key) throws IOException {
		throw unavailable();
	}

	@Override
	public List<StoredObject> list() throws IOException {
		throw unavailable();
	}

	@Override
	public List<StoredObject> list(BlobKey key) throws IOException {
		throw unavailable();
	}

	@Override
	public void delete(StoredObject object) throws IOException {
		throw unavailable();
	}

	@Override
	public void delete(BlobKey key) throws IOException {
		throw unavailable();
	}

	@Override
	public Room room() {
		return new Room(-1, 0, 0, true);
	}

	@Override
	public boolean writable() {
		return false;
	}

	@Override
	public boolean resumable() {
		return false;
	}

	@Override
	public String toString() {
		return "UnconfiguredBlobStore[" + this.location + "]";
	}

}
