package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.blob.StoredObject.Kind;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * A storage folder as a blob store. Each association has a directory named by its id; in it a version's blob is
 * {@code <id>.part} while written and {@code <id>.smp} once committed, its small objects are
 * {@code <id>-<name>} (the tails of a resumable upload, {@code <id>-<offset>.tail}), and its scratch is
 * {@code <id>.spool}. Only files named so, in directories named so, are ever listed or deleted: anything else in
 * the folder is left alone.
 * <p>
 * Durability is by the file system's own means: a file is fsynced before anything relies on its bytes, a rename
 * makes a blob committed or a small object whole at once, and the directory is fsynced after every name that must
 * survive a crash (a new directory, a new blob, a rename). A blob being written is flushed in the background every
 * few tens of megabytes, on the executor given, so that its last fsync has little left to do.
 */
public class FolderBlobStore implements BlobStore {

	private static final Log logger = LogFactory.getLog(FolderBlobStore.class);

	private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

	private static final Pattern ASSOCIATION_DIRECTORY = Pattern.compile(UUID_PATTERN);

	private static final Pattern OBJECT = Pattern
		.compile("(" + UUID_PATTERN + ")(?:\\.(part|smp|spool)|-([0-9]+\\.tail(?:\\.tmp)?))");

	private static final String TEMPORARY = ".tmp";

	private final Path location;

	private final long minimumFreeBytes;

	private final int minimumFreePercent;

	private final long reserveBytes;

	private final AsyncTaskExecutor flushes;

	/**
	 * @param location the folder
	 * @param minimumFreeBytes space to keep free, or -1 when it is a percentage
	 * @param minimumFreePercent percentage of the file system to keep free, or -1
	 * @param reserveBytes space that something else on the same file system needs kept free, or 0
	 * @param flushes where the background flushes of blobs being written run
	 */
	public FolderBlobStore(Path location, long minimumFreeBytes, int minimumFreePercent, long reserveBytes,
			AsyncTaskExecutor flushes) {
		this.location = location;
		this.minimumFreeBytes = minimumFreeBytes;
		this.minimumFreePercent = minimumFreePercent;
		this.reserveBytes = reserveBytes;
		this.flushes = flushes;
	}

	/** Creates {@code <id>.part}, and the association's directory durably if it is new. */
	@Override
	public BlobWriter create(BlobKey key) throws IOException {
		createDirectory(key);
		Path part = part(key);
		return new FolderBlobWriter(FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
				StandardOpenOption.WRITE), part, finished(key), false, this.flushes);
	}

	/** Opens {@code <id>.part}; a lone {@code <id>.smp} is renamed back to it first and the directory fsynced. */
	@Override
	public BlobWriter resume(BlobKey key) throws IOException {
		Path part = part(key);
		Path finished = finished(key);
		if (Files.notExists(part) && Files.exists(finished)) {
			Files.move(finished, part, StandardCopyOption.ATOMIC_MOVE);
			fsync(directory(key));
		}
		return new FolderBlobWriter(FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE), part,
				finished, true, this.flushes);
	}

	@Override
	public SeekableByteChannel read(BlobKey key) throws IOException {
		Path finished = finished(key);
		return FileChannel.open(Files.exists(finished) ? finished : part(key), StandardOpenOption.READ);
	}

	/** Writes {@code <id>-<name>.tmp}, fsyncs it, renames it over {@code <id>-<name>} and fsyncs the directory. */
	@Override
	public void putSmall(BlobKey key, String name, byte[] bytes) throws IOException {
		createDirectory(key);
		Path small = small(key, name);
		Path temporary = small.resolveSibling(small.getFileName() + TEMPORARY);
		try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			ByteBuffer buffer = ByteBuffer.wrap(bytes);
			while (buffer.hasRemaining()) {
				channel.write(buffer);
			}
			channel.force(true);
		}
		Files.move(temporary, small, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		fsync(directory(key));
	}

	@Override
	public Optional<byte[]> getSmall(BlobKey key, String name, int maxLength) throws IOException {
		Path small = small(key, name);
		try {
			if (Files.size(small) > maxLength) {
				throw new IOException(small + " is larger than " + maxLength + " bytes");
			}
			return Optional.of(Files.readAllBytes(small));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	/** Opens {@code <id>.spool}, deleted when closed. */
	@Override
	public SeekableByteChannel scratch(BlobKey key) throws IOException {
		createDirectory(key);
		Path spool = scratchPath(key);
		return new Scratch(FileChannel.open(spool, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
				StandardOpenOption.READ, StandardOpenOption.WRITE), spool);
	}

	@Override
	public List<StoredObject> list() throws IOException {
		List<StoredObject> objects = new ArrayList<>();
		for (Path directory : children(this.location, ASSOCIATION_DIRECTORY, true)) {
			UUID associationId = UUID.fromString(directory.getFileName().toString());
			objects.addAll(objects(directory, associationId, null));
		}
		return objects;
	}

	@Override
	public List<StoredObject> list(BlobKey key) throws IOException {
		return objects(directory(key), key.associationId(), key.storeId());
	}

	/** Deletes the object's file, and the association's directory if that was the last thing in it. */
	@Override
	public void delete(StoredObject object) throws IOException {
		Files.deleteIfExists(path(object));
		deleteIfEmpty(directory(object.key()));
	}

	@Override
	public void delete(BlobKey key) throws IOException {
		for (StoredObject object : list(key)) {
			Files.deleteIfExists(path(object));
		}
		deleteIfEmpty(directory(key));
	}

	/**
	 * The usable space of the folder's file system, its minimum free space (fixed, or a percentage of the file
	 * system), and what uploads must leave free: the minimum, or the reserve if that is more.
	 */
	@Override
	public Room room() {
		long minimum = minimumBytes();
		return new Room(usableBytes(), minimum, Math.max(minimum, this.reserveBytes));
	}

	private long usableBytes() {
		try {
			return Files.getFileStore(this.location).getUsableSpace();
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private long minimumBytes() {
		if (this.minimumFreePercent < 0) {
			return this.minimumFreeBytes;
		}
		try {
			return Files.getFileStore(this.location).getTotalSpace() / 100 * this.minimumFreePercent;
		}
		catch (IOException ex) {
			return Long.MAX_VALUE;
		}
	}

	private Path directory(BlobKey key) {
		return this.location.resolve(key.associationId().toString());
	}

	/** Creates the association's directory if it is new, durably. */
	private void createDirectory(BlobKey key) throws IOException {
		Path directory = directory(key);
		if (Files.notExists(directory)) {
			Files.createDirectories(directory);
			fsync(this.location);
		}
	}

	private Path part(BlobKey key) {
		return directory(key).resolve(key.storeId() + ".part");
	}

	private Path finished(BlobKey key) {
		return directory(key).resolve(key.storeId() + ".smp");
	}

	private Path scratchPath(BlobKey key) {
		return directory(key).resolve(key.storeId() + ".spool");
	}

	private Path small(BlobKey key, String name) {
		return directory(key).resolve(key.storeId() + "-" + name);
	}

	private Path path(StoredObject object) {
		BlobKey key = object.key();
		return switch (object.kind()) {
			case BLOB -> finished(key);
			case UNFINISHED_BLOB -> part(key);
			case SMALL -> small(key, object.name());
			case SCRATCH -> scratchPath(key);
		};
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

	private static void deleteIfEmpty(Path directory) {
		try {
			Files.deleteIfExists(directory);
		}
		catch (DirectoryNotEmptyException ex) {
			// other versions of the association live there
		}
		catch (IOException ex) {
			logger.debug("Cannot delete empty directory " + directory, ex);
		}
	}

	static void fsync(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

	@Override
	public String toString() {
		return "FolderBlobStore[" + this.location + "]";
	}

	/** A file that is deleted once its channel is closed. */
	private static final class Scratch implements SeekableByteChannel {

		private final FileChannel channel;

		private final Path file;

		Scratch(FileChannel channel, Path file) {
			this.channel = channel;
			this.file = file;
		}

		@Override
		public int read(ByteBuffer destination) throws IOException {
			return this.channel.read(destination);
		}

		@Override
		public int write(ByteBuffer source) throws IOException {
			return this.channel.write(source);
		}

		@Override
		public long position() throws IOException {
			return this.channel.position();
		}

		@Override
		public SeekableByteChannel position(long position) throws IOException {
			this.channel.position(position);
			return this;
		}

		@Override
		public long size() throws IOException {
			return this.channel.size();
		}

		@Override
		public SeekableByteChannel truncate(long size) throws IOException {
			this.channel.truncate(size);
			return this;
		}

		@Override
		public boolean isOpen() {
			return this.channel.isOpen();
		}

		@Override
		public void close() throws IOException {
			try {
				this.channel.close();
			}
			finally {
				Files.deleteIfExists(this.file);
			}
		}

	}

}
