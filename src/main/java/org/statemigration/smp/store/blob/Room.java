package org.statemigration.smp.store.blob;

/**
 * The room of a blob store at one moment.
 * @param freeBytes what could still be written there now; -1 if it cannot be told
 * @param minimumBytes what the operator asked to keep free, as configured
 * @param keptFreeBytes what writes must leave free: the minimum, or more where something else needs the space
 * @param budget whether {@code freeBytes} is a budget that only committed blobs lower (an object store's capacity
 * less what the database records there), so that a blob being written takes no room until it is committed and
 * its reservation must count whole; false where the free space shrinks as blobs are written (a file system)
 */
public record Room(long freeBytes, long minimumBytes, long keptFreeBytes, boolean budget) {

	/** The room of a file system, which unfinished blobs take as they are written. */
	public Room(long freeBytes, long minimumBytes, long keptFreeBytes) {
		this(freeBytes, minimumBytes, keptFreeBytes, false);
	}

	/** What new blobs may still take. */
	public long available() {
		return this.freeBytes - this.keptFreeBytes;
	}

}
