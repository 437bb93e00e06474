package org.statemigration.smp.store.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.FolderBlobStore;
import org.statemigration.smp.store.internal.StorageFolders.Folder;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.AsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The blob store of each storage location: today every location is a folder ({@link FolderBlobStore}). A version
 * records the location it was written to, and is read and removed through that location's store even after the
 * location was taken out of the configuration.
 */
@Component
public class BlobStores {

	private final Map<String, BlobStore> configured;

	private final AsyncTaskExecutor flushes;

	public BlobStores(StorageFolders folders,
			@Qualifier(TransferExecutorConfiguration.TRANSFER_EXECUTOR) AsyncTaskExecutor flushes) {
		this.flushes = flushes;
		this.configured = folders.all()
			.stream()
			.collect(Collectors.toUnmodifiableMap((folder) -> folder.location().toString(), this::store));
	}

	private BlobStore store(Folder folder) {
		return new FolderBlobStore(folder.location(), folder.minFreeBytes(), folder.minFreePercent(),
				folder.databaseReserveBytes(), this.flushes);
	}

	/** The store of the location a version records. */
	public BlobStore at(String location) {
		BlobStore store = this.configured.get(location);
		return (store != null) ? store : new FolderBlobStore(Path.of(location), 0, -1, 0, this.flushes);
	}

	public BlobStore at(Path location) {
		return at(location.toString());
	}

	/** The stores of the configured locations. */
	public List<BlobStore> all() {
		return List.copyOf(this.configured.values());
	}

	/** The store of a configured folder. */
	public BlobStore of(Folder folder) {
		return at(folder.location());
	}

}
