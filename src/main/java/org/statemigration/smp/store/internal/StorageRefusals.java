package org.statemigration.smp.store.internal;

import java.io.IOException;

import org.statemigration.smp.store.InsufficientStorageException;
import org.statemigration.smp.store.QuotaExceededException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.StorageUnavailableException;
import org.statemigration.smp.store.blob.BlobStore;
import org.statemigration.smp.store.blob.BlobStoreUnavailableException;
import org.statemigration.smp.store.blob.Room;

/**
 * The refusals of a capture for lack of room, in one place, so that every way in (a single request, a resumable
 * upload's creation and its chunks) answers alike: a store over the quota or a chunk beyond its upload's length
 * (413 {@code quota-exceeded}), a storage folder that ran out of space (507 {@code insufficient-storage}), and a
 * storage location that cannot be reached (503 {@code storage-unavailable}, logged with the location and failure).
 */
public final class StorageRefusals {

	private static final Log logger = LogFactory.getLog(StorageRefusals.class);

	/** Below this much usable space a failed write is taken for a full disk. */
	static final long NEARLY_FULL = 64L * 1024 * 1024;

	private StorageRefusals() {
	}

	/**
	 * Refuses a state store of {@code size} bytes if that is over the quota.
	 * @throws QuotaExceededException if it is
	 */
	public static void refuseOverQuota(long size, long quota) {
		if (size > quota) {
			throw overQuota(quota);
		}
	}

	/** The refusal of a state store that turned out larger than the quota. */
	private static QuotaExceededException overQuota(long quota) {
		return new QuotaExceededException("The state store is larger than the quota of " + quota + " bytes");
	}

	/**
	 * Refuses {@code bytes} more of a resumable upload of {@code length} bytes that still expects {@code left}.
	 * @throws QuotaExceededException if they go beyond its length
	 */
	public static void refuseBeyondLength(long bytes, long left, long length) {
		if (bytes > left) {
			throw beyondLength(length);
		}
	}

	/** The refusal of a chunk that goes beyond its upload's length. */
	public static QuotaExceededException beyondLength(long length) {
		return new QuotaExceededException("The chunk goes beyond the upload's length of " + length + " bytes");
	}

	/**
	 * A write to the storage folder failed: if it failed because the disk is full, the refusal of the API (507
	 * {@code insufficient-storage}) is thrown, else the failure is returned to be thrown as it is.
	 * @param outcome what became of the capture, for the client: e.g. that nothing was stored
	 * @throws InsufficientStorageException if the disk is full
	 */
	public static IOException unlessDiskFull(IOException failure, BlobStore store, String outcome) {
		BlobStoreUnavailableException unavailable = unavailable(failure);
		if (unavailable != null) {
			logger.warn(unavailable.getMessage() + "; " + outcome);
			throw new StorageUnavailableException(
					"The storage location could not be reached; " + outcome + "; try again later", unavailable);
		}
		if (isDiskFull(failure, store)) {
			throw new InsufficientStorageException("The storage folder ran out of space; " + outcome);
		}
		return failure;
	}

	/** The store's failure to be reached, if that is what the failure is or comes from. */
	private static BlobStoreUnavailableException unavailable(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BlobStoreUnavailableException unavailable) {
				return unavailable;
			}
		}
		return null;
	}

	private static boolean isDiskFull(IOException ex, BlobStore store) {
		String message = ex.getMessage();
		if (message != null && message.contains("No space left on device")) {
			return true;
		}
		Room room = store.room();
		if (room.budget()) {
			// a budget is not a disk: a write fails for other reasons
			return false;
		}
		long free = room.freeBytes();
		return free >= 0 && free < NEARLY_FULL;
	}

}
