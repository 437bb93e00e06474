package org.statemigration.smp.store;

/**
 * A storage location as operators see it: a local folder or an S3 bucket, configured, or taken out of the
 * configuration but still holding versions (which are read and deleted there until they are all gone).
 * @param id the location, which identifies it
 * @param kind {@code folder} or {@code s3}
 * @param configured whether the configuration names the location; one that does not takes no new capture, and is
 * listed only while versions are still there
 * @param maxClients the configured maximum of clients; 0 for a location no longer configured
 * @param clients associations with data, an upload or a reservation in the location
 * @param versions versions whose data is in the location: committed, or being uploaded (in one request or
 * resumably)
 * @param minFreeSpace a folder's minimum free space as configured; null for S3, which has no free space, and for a
 * location no longer configured
 * @param capacityBytes an S3 location's capacity, the bytes the server may store there; null for a folder and for a
 * location no longer configured
 * @param freeBytes a folder's usable space on its file system; an S3 location's capacity less its stored bytes; 0
 * for a location no longer configured, which takes nothing new
 * @param usedBytes bytes of the stored versions in the location
 * @param reservedBytes room reserved for uploads that are not finished
 * @param accepting whether a new capture could be placed here now
 */
public record FolderUsage(String id, String location, String kind, boolean configured, int maxClients, int clients,
		long versions, String minFreeSpace, long minFreeBytes, Long capacityBytes, long freeBytes, long usedBytes,
		long reservedBytes, boolean accepting) {
}
