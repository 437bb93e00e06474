package org.statemigration.smp.store.blob;

/**
 * The room of a blob store at one moment.
 * @param freeBytes what could still be written there now; -1 if it cannot be told
 * @param minimumBytes what the operator asked to keep free, as configured
 * @param keptFreeBytes what writes must leave free: the minimum, or more where something else needs the space
 */
public record Room(long freeBytes, long minimumBytes, long keptFreeBytes) {

	/** What new blobs may still take. */
	public long available() {
		return this.freeBytes - this.keptFreeBytes;
	}

}
