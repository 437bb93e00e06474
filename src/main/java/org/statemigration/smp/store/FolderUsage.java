package org.statemigration.smp.store;

/**
 * A storage location as operators see it: a local folder or an S3 bucket.
 * @param id the location, which identifies it
 * @param kind {@code folder} or {@code s3}
 * @param clients associations with data, an upload or a reservation in the location
 * @param minFreeSpace a folder's minimum free space as configured; null for S3, which has no free space
 * @param capacityBytes an S3 location's capacity, the bytes the server may store there; null for a folder
 * @param freeBytes a folder's usable space on its file system; an S3 location's capacity less its stored bytes
 * @param usedBytes bytes of the stored versions in the location
 * @param reservedBytes room reserved for uploads that are not finished
 * @param accepting whether a new capture could be placed here now
 */
public record FolderUsage(String id, String location, String kind, int maxClients, int clients, String minFreeSpace,
		long minFreeBytes, Long capacityBytes, long freeBytes, long usedBytes, long reservedBytes, boolean accepting) {
}
