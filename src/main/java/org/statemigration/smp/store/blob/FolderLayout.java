package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.statemigration.smp.store.blob.StoredObject.Kind;

/**
 * Where a storage folder keeps each object: a directory per association named by its id, and in it
 * {@code <id>.part} for a blob being written, {@code <id>.smp} once committed, {@code <id>-<name>} for a small
 * object (a resumable upload's tails, {@code <id>-<offset>.tail}, with {@code .tmp} while one is written) and
 * {@code <id>.spool} for the scratch. Only files named so, in directories named so, are ever listed: anything else
 * in the folder is not the store's.
 */
final class FolderLayout {

	private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

	private static final Pattern ASSOCIATION_DIRECTORY = Pattern.compile(UUID_PATTERN);

	private static final Pattern OBJECT = Pattern
		.compile("(" + UUID_PATTERN + ")(?:\\.(part|smp|spool)|-([0-9]+\\.tail(?:\\.tmp)?))");

	private final Path location;

	FolderLayout(Path location) {
		this.location = location;
	}

	Path location() {
		return this.location;
	}

	Path directory(BlobKey key) {
		return this.location.resolve(key.associationId().toString());
	}

	Path unfinished(BlobKey key) {
		return directory(key).resolve(key.storeId() + ".part");
	}

	Path committed(BlobKey key) {
		return directory(key).resolve(key.storeId() + ".smp");
	}

	Path small(BlobKey key, String name) {
		return directory(key).resolve(key.storeId() + "-" + name);
	}

	Path scratch(BlobKey key) {
		return directory(key).resolve(key.storeId() + ".spool");
	}

	Path path(StoredObject object) {
		BlobKey key = object.key();
		return switch (object.kind()) {
			case BLOB -> committed(key);
			case UNFINISHED_BLOB -> unfinished(key);
			case SMALL -> small(key, object.name());
			case SCRATCH -> scratch(key);
		};
	}

	/** Every object in the folder. */
	List<StoredObject> objects() throws IOException {
		List<StoredObject> objects = new ArrayList<>();
		for (Path directory : children(this.location, ASSOCIATION_DIRECTORY, true)) {
			objects.addAll(objects(directory, UUID.fromString(directory.getFileName().toString()), null));
		}
		return objects;
	}

	/** The objects of one key. */
	List<StoredObject> objects(BlobKey key) throws IOException {
		return objects(directory(key), key.associationId(), key.storeId());
	}

	/** The objects in an association's directory: of one version, or of all when {@code storeId} is null. */
	private static List<StoredObject> objects(Path directory, UUID associationId, UUID storeId) throws IOException {
		List<StoredObject> objects = new ArrayList<>();
		for (Path file : children(directory, OBJECT, false)) {
			Matcher name = OBJECT.matcher(file.getFileName().toString());
			name.matches();
			UUID id = UUID.fromString(name.group(1));
			if (storeId != null && !storeId.equals(id)) {
				continue;
			}
			Kind kind = (name.group(3) != null) ? Kind.SMALL : switch (name.group(2)) {
				case "smp" -> Kind.BLOB;
				case "part" -> Kind.UNFINISHED_BLOB;
				default -> Kind.SCRATCH;
			};
			long size;
			try {
				size = Files.size(file);
			}
			catch (NoSuchFileException ex) {
				// deleted since it was listed
				continue;
			}
			objects.add(new StoredObject(new BlobKey(associationId, id), kind, name.group(3), size, file.toString()));
		}
		return objects;
	}

	/** The directory's entries whose names match, directories or regular files, never following a link. */
	private static List<Path> children(Path directory, Pattern name, boolean directories) throws IOException {
		DirectoryStream.Filter<Path> filter = (path) -> name.matcher(path.getFileName().toString()).matches()
				&& (directories ? Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)
						: Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS));
		List<Path> children = new ArrayList<>();
		try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory, filter)) {
			entries.forEach(children::add);
		}
		catch (NoSuchFileException ex) {
			// nothing was ever stored for it, or the last of it is gone
		}
		return children;
	}

}
