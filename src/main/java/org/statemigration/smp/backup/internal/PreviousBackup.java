package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.statemigration.smp.backup.internal.Manifest.FileEntry;
import org.statemigration.smp.backup.internal.Manifest.StoreEntry;

/**
 * The backup a folder held before this one, whose blobs this one keeps instead of copying them again. While the new
 * backup is written its manifest is set aside as {@value #BASE}, so that the folder never holds a manifest that
 * does not match its files, and an interrupted backup is still the base of the next one.
 */
final class PreviousBackup {

	static final String BASE = "manifest.previous.json";

	private final Map<UUID, FileEntry> stores;

	private PreviousBackup(Map<UUID, FileEntry> stores) {
		this.stores = stores;
	}

	/**
	 * Opens the folder for a new backup: creates it (owner-only) if need be, and sets its manifest aside.
	 * @throws IllegalArgumentException if it holds files but no backup
	 */
	static PreviousBackup open(Path folder) throws IOException {
		Path manifestFile = folder.resolve(Manifest.FILE_NAME);
		Path base = folder.resolve(BASE);
		if (Files.isDirectory(folder)) {
			boolean empty;
			try (Stream<Path> entries = Files.list(folder)) {
				empty = entries.findAny().isEmpty();
			}
			if (!empty && Files.notExists(manifestFile) && Files.notExists(base)) {
				throw new IllegalArgumentException(folder + " is not empty and holds no smp backup");
			}
		}
		else {
			org.statemigration.smp.crypto.OwnerOnlyFiles.createPrivateDirectory(folder);
		}
		if (Files.exists(manifestFile)) {
			BackupFolder.moveDurably(manifestFile, base);
		}
		Map<UUID, FileEntry> stores = new HashMap<>();
		if (Files.exists(base)) {
			Manifest previous = Manifest.read(base);
			Map<String, FileEntry> files = new HashMap<>();
			previous.files().forEach((file) -> files.put(file.path(), file));
			for (StoreEntry store : previous.stores()) {
				FileEntry file = files.get(store.file());
				if (file != null) {
					stores.put(store.storeId(), file);
				}
			}
		}
		return new PreviousBackup(stores);
	}

	/** The earlier copy of a version's blob, if the folder still has it whole (by its size). */
	FileEntry reusable(Path folder, UUID storeId) throws IOException {
		FileEntry file = this.stores.get(storeId);
		if (file == null) {
			return null;
		}
		Path path = BackupFolder.resolveInside(folder, file.path());
		return (Files.isRegularFile(path) && Files.size(path) == file.size()) ? file : null;
	}

	/** Removes what the new manifest no longer lists: blobs of versions since deleted, the set-aside manifest. */
	void removeLeftovers(Path folder, Manifest manifest) throws IOException {
		Set<String> kept = new HashSet<>();
		manifest.files().forEach((file) -> kept.add(file.path()));
		Path stores = folder.resolve("stores");
		if (Files.isDirectory(stores)) {
			List<Path> files;
			try (Stream<Path> walk = Files.walk(stores)) {
				files = walk.filter(Files::isRegularFile).toList();
			}
			for (Path file : files) {
				if (!kept.contains(BackupFolder.relative(folder, file))) {
					Files.deleteIfExists(file);
				}
			}
			try (Stream<Path> walk = Files.walk(stores)) {
				for (Path directory : walk.filter(Files::isDirectory).sorted((a, b) -> b.compareTo(a)).toList()) {
					try (Stream<Path> entries = Files.list(directory)) {
						if (entries.findAny().isEmpty() && !directory.equals(stores)) {
							Files.delete(directory);
						}
					}
				}
			}
		}
		if (!kept.contains(BackupKeys.FILE_NAME)) {
			Files.deleteIfExists(folder.resolve(BackupKeys.FILE_NAME));
		}
		Files.deleteIfExists(folder.resolve(BASE));
	}

}
