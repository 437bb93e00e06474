package org.statemigration.smp.store;

/**
 * A storage folder as operators see it.
 * @param id the folder's location, which identifies it
 * @param clients associations with data, an upload or a reservation in the folder
 * @param freeBytes usable space on the folder's file system
 * @param usedBytes bytes of the stored versions in the folder
 * @param reservedBytes room reserved for uploads that are not finished
 * @param accepting whether a new capture could be placed here now
 */
public record FolderUsage(String id, String location, int maxClients, int clients, String minFreeSpace,
		long minFreeBytes, long freeBytes, long usedBytes, long reservedBytes, boolean accepting) {
}
