package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes key material so that a crash never leaves a half-written file and nobody but the owner can read it, and
 * serializes first-time creation between processes that share a directory.
 */
public final class OwnerOnlyFiles {

	// a FileLock is held per process: threads of one JVM must queue before asking the OS for it
	private static final ReentrantLock JVM_LOCK = new ReentrantLock();

	private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");

	private OwnerOnlyFiles() {
	}

	/**
	 * Writes the content to a temporary file in the target's directory (created owner-only on POSIX), forces it to
	 * disk, then renames it over the target and forces the directory.
	 */
	public static void writeAtomically(Path target, byte[] content) throws IOException {
		Path directory = target.toAbsolutePath().getParent();
		Files.createDirectories(directory);
		Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
				ByteBuffer buffer = ByteBuffer.wrap(content);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				channel.force(true);
			}
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			forceDirectory(directory);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	/**
	 * Runs the action while holding an exclusive lock on {@code <directory>/.lock}, so that of two processes
	 * creating the same files only one does and the other sees its result.
	 */
	public static <T> T underLock(Path directory, IoAction<T> action) throws IOException {
		Files.createDirectories(directory);
		JVM_LOCK.lock();
		try (FileChannel channel = FileChannel.open(directory.resolve(".lock"), StandardOpenOption.CREATE,
				StandardOpenOption.WRITE); FileLock lock = channel.lock()) {
			return action.run();
		}
		finally {
			JVM_LOCK.unlock();
		}
	}

	/**
	 * Creates the directory (and its parents) if it is missing, the directory itself owner-only on POSIX so that
	 * not even the names of key files show to other users. An existing directory is left as the operator set it.
	 */
	public static void createPrivateDirectory(Path directory) throws IOException {
		if (Files.isDirectory(directory)) {
			return;
		}
		Files.createDirectories(directory.toAbsolutePath().getParent());
		try {
			Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
		}
		catch (UnsupportedOperationException ex) {
			Files.createDirectories(directory);
		}
		catch (FileAlreadyExistsException ex) {
			// another process created it at the same moment
		}
	}

	private static void forceDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// not every platform lets a directory be opened (Windows); the rename itself is still atomic there
		}
	}

	@FunctionalInterface
	public interface IoAction<T> {

		T run() throws IOException;

	}

}
