package org.statemigration.smp.store.internal.upload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.crypto.CiphertextAuthenticationException;
import org.statemigration.smp.crypto.ResumableSegmentedFile;

/**
 * The files of a resumable upload in its association's directory: {@code <id>.part}, the header and the whole
 * sealed segments so far (renamed to {@code <id>.smp} when complete, as for any upload); {@code <id>-<offset>.tail},
 * the sealed bytes after the last whole segment when the offset was {@code <offset>}; and {@code <id>.spool}, a
 * chunk held (encrypted under a throw-away key) until its checksum is verified. Every change that the offset
 * relies on is fsynced, file and directory, before the offset moves.
 */
public final class UploadFiles {

	private UploadFiles() {
	}

	public static Path part(Path directory, UUID id) {
		return directory.resolve(id + ".part");
	}

	public static Path tail(Path directory, UUID id, long offset) {
		return directory.resolve(id + "-" + offset + ".tail");
	}

	static Path spool(Path directory, UUID id) {
		return directory.resolve(id + ".spool");
	}

	static Path finished(Path directory, UUID id) {
		return directory.resolve(id + ".smp");
	}

	/** Creates the upload's file with its header alone, durable, directory included. */
	public static void create(Path directory, UUID id, ResumableSegmentedFile file, int keyVersion) throws IOException {
		if (Files.notExists(directory)) {
			Files.createDirectories(directory);
			fsync(directory.getParent());
		}
		try (FileChannel channel = FileChannel.open(part(directory, id), StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE)) {
			file.create(channel, keyVersion);
			channel.force(true);
		}
		fsync(directory);
	}

	/**
	 * Opens the upload's file to read and write. A complete file that was renamed into place but never committed
	 * (a crash in between) is taken back first.
	 */
	public static FileChannel resume(Path directory, UUID id) throws IOException {
		Path part = part(directory, id);
		Path finished = finished(directory, id);
		if (Files.notExists(part) && Files.exists(finished)) {
			Files.move(finished, part, StandardCopyOption.ATOMIC_MOVE);
			fsync(directory);
		}
		return FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
	}

	/** Opens the upload's file as it stands to read it, without changing anything: the finished one if it is there. */
	static FileChannel read(Path directory, UUID id) throws IOException {
		Path finished = finished(directory, id);
		return FileChannel.open(Files.exists(finished) ? finished : part(directory, id), StandardOpenOption.READ);
	}

	/** Renames the complete file into place, durable. */
	static void finish(Path directory, UUID id) throws IOException {
		Files.move(part(directory, id), finished(directory, id), StandardCopyOption.ATOMIC_MOVE);
		fsync(directory);
	}

	/** Writes a sealed tail atomically: to a temporary name, fsynced, renamed, directory fsynced. */
	public static void writeTail(Path directory, UUID id, long offset, byte[] sealed) throws IOException {
		Path tail = tail(directory, id, offset);
		Path temp = tail.resolveSibling(tail.getFileName() + ".tmp");
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
				StandardOpenOption.TRUNCATE_EXISTING)) {
			ByteBuffer bytes = ByteBuffer.wrap(sealed);
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
			channel.force(true);
		}
		Files.move(temp, tail, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		fsync(directory);
	}

	/** The tail sealed at this offset, if there is one. */
	static Optional<byte[]> readTail(Path directory, UUID id, long offset) throws IOException {
		Path tail = tail(directory, id, offset);
		try {
			if (Files.size(tail) > ResumableSegmentedFile.MAX_TAIL_LENGTH) {
				throw new CiphertextAuthenticationException("The tail of upload " + id + " is too large");
			}
			return Optional.of(Files.readAllBytes(tail));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	/** Deletes the upload's tails but the one at {@code keep} (-1: all), and their temporary files. */
	public static void deleteTails(Path directory, UUID id, long keep) throws IOException {
		String kept = (keep >= 0) ? tail(directory, id, keep).getFileName().toString() : null;
		try (DirectoryStream<Path> tails = Files.newDirectoryStream(directory, id + "-*.tail*")) {
			for (Path tail : tails) {
				if (!tail.getFileName().toString().equals(kept)) {
					Files.deleteIfExists(tail);
				}
			}
		}
		catch (NoSuchFileException ex) {
			// the directory is gone: so are the tails
		}
	}

	/** Deletes every file of the upload: part, finished file, tails, spool. */
	public static void deleteAll(Path directory, UUID id) throws IOException {
		Files.deleteIfExists(part(directory, id));
		Files.deleteIfExists(finished(directory, id));
		Files.deleteIfExists(spool(directory, id));
		deleteTails(directory, id, -1);
	}

	static void fsync(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
