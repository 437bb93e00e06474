package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The configured storage folders, each with its maximum of clients and its minimum free space. Their room, read
 * from their file systems, is their blob stores' ({@code BlobStores}).
 */
@Component
public class StorageFolders {

	private final List<Folder> folders;

	public StorageFolders(StoreProperties properties) {
		Path dataDir = createDirectories(properties.dataDir(), "data directory");
		long reserve = properties.storage().databaseReserve().toBytes();
		this.folders = properties.storage()
			.folders()
			.stream()
			.map((folder) -> Folder.of(folder, createDirectories(folder.location(), "storage folder"), dataDir, reserve))
			.toList();
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

	/** The configured folder at this location. */
	public Optional<Folder> find(String location) {
		return this.folders.stream().filter((f) -> f.location().toString().equals(location)).findFirst();
	}

	/**
	 * A storage folder with its configured minimum free space.
	 * @param minFreeSpace as configured: {@code NNMB}, {@code NNGB} or {@code NN%}
	 * @param minFreeBytes fixed minimum, or -1 when given as a percentage
	 * @param minFreePercent percentage of the file system, or -1
	 * @param databaseReserveBytes room kept free for the embedded database when the folder shares the data
	 * directory's volume ({@code smp.storage.database-reserve}), else 0
	 */
	public record Folder(Path location, int maxClients, String minFreeSpace, long minFreeBytes, int minFreePercent,
			long databaseReserveBytes) {

		static Folder of(StoreProperties.Folder folder, Path location, Path dataDir, long reserve) {
			long databaseReserve = sameFileStore(location, dataDir) ? reserve : 0;
			String min = folder.minFreeSpace().strip().toUpperCase(Locale.ROOT);
			if (min.endsWith("%")) {
				int percent = Integer.parseInt(min.substring(0, min.length() - 1).strip());
				if (percent < 0 || percent > 99) {
					throw new IllegalArgumentException("min-free-space of " + location + " must be 0-99%");
				}
				return new Folder(location, folder.maxClients(), min, -1, percent, databaseReserve);
			}
			if (!min.endsWith("MB") && !min.endsWith("GB")) {
				throw new IllegalArgumentException("min-free-space of " + location + " must be NNMB, NNGB or NN%");
			}
			return new Folder(location, folder.maxClients(), min, DataSize.parse(min).toBytes(), -1, databaseReserve);
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
