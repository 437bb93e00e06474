package org.statemigration.smp.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

/**
 * The configured storage folders, and the choice of one for a new version: the folder with the most usable space
 * above its minimum free space.
 */
@Component
public class StorageFolders {

	private final List<Folder> folders;

	StorageFolders(StoreProperties properties) {
		this.folders = properties.storage().folders().stream().map(Folder::of).toList();
		for (Folder folder : this.folders) {
			try {
				Files.createDirectories(folder.location());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create storage folder " + folder.location(), ex);
			}
		}
	}

	public List<Folder> all() {
		return this.folders;
	}

	/**
	 * The folder for a new version of the given size (-1 when unknown).
	 * @throws InsufficientStorageException if no folder can take it above its minimum free space
	 */
	public Folder choose(long declaredSize) {
		return this.folders.stream()
			.filter((f) -> f.room() > Math.max(declaredSize, 0))
			.max(Comparator.comparingLong(Folder::room))
			.orElseThrow(() -> new InsufficientStorageException("No storage folder has room for this state store"));
	}

	Optional<Folder> find(String location) {
		return this.folders.stream().filter((f) -> f.location().toString().equals(location)).findFirst();
	}

	/**
	 * A storage folder with its configured minimum free space.
	 * @param minFreeBytes fixed minimum, or -1 when given as a percentage
	 * @param minFreePercent percentage of the file system, or -1
	 */
	public record Folder(Path location, int maxClients, long minFreeBytes, int minFreePercent) {

		static Folder of(StoreProperties.Folder folder) {
			Path location = folder.location().toAbsolutePath().normalize();
			String min = folder.minFreeSpace().strip().toUpperCase(Locale.ROOT);
			if (min.endsWith("%")) {
				int percent = Integer.parseInt(min.substring(0, min.length() - 1).strip());
				if (percent < 0 || percent > 99) {
					throw new IllegalArgumentException("min-free-space of " + location + " must be 0-99%");
				}
				return new Folder(location, folder.maxClients(), -1, percent);
			}
			if (!min.endsWith("MB") && !min.endsWith("GB")) {
				throw new IllegalArgumentException("min-free-space of " + location + " must be NNMB, NNGB or NN%");
			}
			return new Folder(location, folder.maxClients(), DataSize.parse(min).toBytes(), -1);
		}

		/** Bytes that may still be written before the folder reaches its minimum free space. */
		public long room() {
			try {
				FileStore store = Files.getFileStore(this.location);
				long minimum = (this.minFreePercent >= 0) ? store.getTotalSpace() / 100 * this.minFreePercent
						: this.minFreeBytes;
				return store.getUsableSpace() - minimum;
			}
			catch (IOException ex) {
				return -1;
			}
		}

	}

}
