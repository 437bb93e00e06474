package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.statemigration.smp.store.blob.s3.PartChecksum;
import org.statemigration.smp.store.blob.s3.S3Location;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The configured storage locations, each with its maximum of clients: a local folder with its minimum free space,
 * or an S3 bucket with its capacity. Their room is their blob stores' ({@code BlobStores}). A location is known by
 * a string, as the database records it: a folder's absolute path, or {@code s3://bucket/prefix}.
 */
@Component
public class StorageFolders {

	private final List<Folder> folders;

	public StorageFolders(StoreProperties properties) {
		Path dataDir = createDirectories(properties.dataDir(), "data directory");
		long reserve = properties.storage().databaseReserve().toBytes();
		this.folders = properties.storage().folders().stream().map((folder) -> Folder.of(folder, dataDir, reserve)).toList();
		long distinct = this.folders.stream().map(Folder::location).distinct().count();
		if (distinct != this.folders.size()) {
			throw new IllegalArgumentException("smp.storage.folders names a location more than once");
		}
	}

	private static Path createDirectories(Path directory, String what) {
		try {
			return Files.createDirectories(directory.toAbsolutePath().normalize());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot create " + what + " " + directory, ex);
		}
	}

	public List<Folder> all() {
		return this.folders;
	}

	/** The configured location recorded so. */
	public Optional<Folder> find(String location) {
		return this.folders.stream().filter((f) -> f.location().equals(location)).findFirst();
	}

	/**
	 * A storage location: a local folder with its configured minimum free space, or an S3 bucket.
	 * @param location as the database records it: the folder's absolute path, or {@code s3://bucket/prefix}
	 * @param minFreeSpace as configured: {@code NNMB}, {@code NNGB} or {@code NN%}; null for S3
	 * @param minFreeBytes fixed minimum, or -1 when given as a percentage
	 * @param minFreePercent percentage of the file system, or -1
	 * @param databaseReserveBytes room kept free for the embedded database when the folder shares the data
	 * directory's volume ({@code smp.storage.database-reserve}), else 0
	 * @param s3 the bucket and how to reach it; null for a folder
	 */
	public record Folder(String location, int maxClients, String minFreeSpace, long minFreeBytes, int minFreePercent,
			long databaseReserveBytes, S3Location s3) {

		static Folder of(StoreProperties.Folder folder, Path dataDir, long reserve) {
			if (S3Location.isS3(folder.location())) {
				return new Folder(s3(folder).location(), folder.maxClients(), null, 0, -1, 0, s3(folder));
			}
			Path location = createDirectories(Path.of(folder.location()), "storage folder");
			long databaseReserve = sameFileStore(location, dataDir) ? reserve : 0;
			String min = folder.minFreeSpace().strip().toUpperCase(Locale.ROOT);
			if (min.endsWith("%")) {
				int percent = Integer.parseInt(min.substring(0, min.length() - 1).strip());
				if (percent < 0 || percent > 99) {
					throw new IllegalArgumentException("min-free-space of " + location + " must be 0-99%");
				}
				return new Folder(location.toString(), folder.maxClients(), min, -1, percent, databaseReserve, null);
			}
			if (!min.endsWith("MB") && !min.endsWith("GB")) {
				throw new IllegalArgumentException("min-free-space of " + location + " must be NNMB, NNGB or NN%");
			}
			return new Folder(location.toString(), folder.maxClients(), min, DataSize.parse(min).toBytes(), -1,
					databaseReserve, null);
		}

		/** An S3 location's settings, checked: a valid URI, a capacity, credentials given whole or not at all. */
		private static S3Location s3(StoreProperties.Folder folder) {
			String[] bucketAndPrefix = S3Location.parse(folder.location());
			String location = S3Location.normalize(bucketAndPrefix[0], bucketAndPrefix[1]);
			if (folder.capacity() == null || folder.capacity().toBytes() <= 0) {
				throw new IllegalArgumentException("Storage location " + location
						+ " needs a capacity (e.g. capacity: 20TB): S3 has no free space to measure");
			}
			StoreProperties.S3 s3 = (folder.s3() != null) ? folder.s3()
					: new StoreProperties.S3(null, "us-east-1", false, PartChecksum.MD5, null, null, 8);
			if ((s3.accessKeyId() == null) != (s3.secretAccessKey() == null)) {
				throw new IllegalArgumentException("Storage location " + location
						+ " needs both s3.access-key-id and s3.secret-access-key, or neither (the default credentials)");
			}
			if (s3.endpoint() != null && (s3.endpoint().getScheme() == null || s3.endpoint().getHost() == null
					|| !s3.endpoint().getScheme().matches("https?"))) {
				throw new IllegalArgumentException("Storage location " + location + " has an invalid s3.endpoint "
						+ s3.endpoint() + ": it must be an http or https URI");
			}
			return new S3Location(location, bucketAndPrefix[0], bucketAndPrefix[1], folder.capacity().toBytes(),
					s3.endpoint(), s3.region(), s3.pathStyle(), s3.partChecksum(), s3.accessKeyId(),
					s3.secretAccessKey(), s3.partSize());
		}

		/** Whether this is an S3 location. */
		public boolean isS3() {
			return this.s3 != null;
		}

		/** Whether the two lie on one file system; when that cannot be told, they are taken to (the safe side). */
		private static boolean sameFileStore(Path folder, Path dataDir) {
			try {
				return Files.getFileStore(folder).equals(Files.getFileStore(dataDir));
			}
			catch (IOException ex) {
				return true;
			}
		}

	}

}
