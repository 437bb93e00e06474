package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.task.AsyncTaskExecutor;

/**
 * A storage folder as a blob store, on the layout that data directories already have ({@link FolderLayout}).
 * <p>
 * Durability is by the file system's own means: a file is fsynced before anything relies on its bytes, a rename
 * makes a blob committed or a small object whole at once, and the directory is fsynced after every name that must
 * survive a crash (a new directory, a new blob, a rename). A blob being written is flushed in the background every
 * few tens of megabytes, on the executor given, so that its last fsync has little left to do.
 */
public class FolderBlobStore implements BlobStore {

	private static final Log logger = LogFactory.getLog(FolderBlobStore.class);

	private static final String TEMPORARY = ".tmp";

	private final FolderLayout layout;

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
		this.layout = new FolderLayout(location);
		this.minimumFreeBytes = minimumFreeBytes;
		this.minimumFreePercent = minimumFreePercent;
		this.reserveBytes = reserveBytes;
		this.flushes = flushes;
	}

	/** Creates {@code <id>.part}, and the association's directory durably if it is new. */
	@Override
	public BlobWriter create(BlobKey key) throws IOException {
		createDirectory(key);
		Path unfinished = this.layout.unfinished(key);
		return new FolderBlobWriter(FileChannel.open(unfinished, StandardOpenOption.CREATE_NEW,
				StandardOpenOption.READ, StandardOpenOption.WRITE), unfinished, this.layout.committed(key), false,
				this.flushes);
	}

	/** Opens {@code <id>.part}; a lone {@code <id>.smp} is renamed back to it first and the directory fsynced. */
	@Override
	public BlobWriter resume(BlobKey key) throws IOException {
		Path unfinished = this.layout.unfinished(key);
		Path committed = this.layout.committed(key);
		if (Files.notExists(unfinished) && Files.exists(committed)) {
			Files.move(committed, unfinished, StandardCopyOption.ATOMIC_MOVE);
			fsync(this.layout.directory(key));
		}
		return new FolderBlobWriter(FileChannel.open(unfinished, StandardOpenOption.READ, StandardOpenOption.WRITE),
				unfinished, committed, true, this.flushes);
	}

	@Override
	public SeekableByteChannel read(BlobKey key) throws IOException {
		Path committed = this.layout.committed(key);
		return FileChannel.open(Files.exists(committed) ? committed : this.layout.unfinished(key),
				StandardOpenOption.READ);
	}

	/** Writes {@code <id>-<name>.tmp}, fsyncs it, renames it over {@code <id>-<name>} and fsyncs the directory. */
	@Override
	public void putSmall(BlobKey key, String name, byte[] bytes) throws IOException {
		createDirectory(key);
		Path small = this.layout.small(key, name);
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
		fsync(this.layout.directory(key));
	}

	@Override
	public Optional<byte[]> getSmall(BlobKey key, String name, int maxLength) throws IOException {
		Path small = this.layout.small(key, name);
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
		Path spool = this.layout.scratch(key);
		return new ScratchFile(FileChannel.open(spool, StandardOpenOption.CREATE,
				StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.READ, StandardOpenOption.WRITE), spool);
	}

	@Override
	public List<StoredObject> list() throws IOException {
		return this.layout.objects();
	}

	@Override
	public List<StoredObject> list(BlobKey key) throws IOException {
		return this.layout.objects(key);
	}

	/** Deletes the object's file, and the association's directory if that was the last thing in it. */
	@Override
	public void delete(StoredObject object) throws IOException {
		Files.deleteIfExists(this.layout.path(object));
		deleteIfEmpty(this.layout.directory(object.key()));
	}

	@Override
	public void delete(BlobKey key) throws IOException {
		for (StoredObject object : list(key)) {
			Files.deleteIfExists(this.layout.path(object));
		}
		deleteIfEmpty(this.layout.directory(key));
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

	/** Whether a file can be created and deleted in the folder now: a full, read-only or vanished disk can't. */
	@Override
	public boolean writable() {
		Path probe;
		try {
			probe = Files.createTempFile(this.layout.location(), ".health-", ".tmp");
		}
		catch (IOException | SecurityException ex) {
			logger.debug("Storage folder " + this.layout.location() + " is not writable", ex);
			return false;
		}
		try {
			Files.delete(probe);
			return true;
		}
		catch (IOException | SecurityException ex) {
			logger.warn("Could not delete the health probe " + probe, ex);
			return false;
		}
	}

	private long usableBytes() {
		try {
			return Files.getFileStore(this.layout.location()).getUsableSpace();
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
			return Files.getFileStore(this.layout.location()).getTotalSpace() / 100 * this.minimumFreePercent;
		}
		catch (IOException ex) {
			return Long.MAX_VALUE;
		}
	}

	/** Creates the association's directory if it is new, durably. */
	private void createDirectory(BlobKey key) throws IOException {
		Path directory = this.layout.directory(key);
		if (Files.notExists(directory)) {
			Files.createDirectories(directory);
			fsync(this.layout.location());
		}
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
		return "FolderBlobStore[" + this.layout.location() + "]";
	}

}
