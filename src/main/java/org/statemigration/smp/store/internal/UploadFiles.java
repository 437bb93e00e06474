package org.statemigration.smp.store.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import org.statemigration.smp.crypto.CiphertextAuthenticationException;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.crypto.SegmentedStreamHeader;

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

	public static Path spool(Path directory, UUID id) {
		return directory.resolve(id + ".spool");
	}

	/** Creates the upload's file with its header alone, durable, directory included. */
	public static void create(Path directory, UUID id, SegmentedStreamHeader header) throws IOException {
		if (Files.notExists(directory)) {
			Files.createDirectories(directory);
			fsync(directory.getParent());
		}
		try (FileChannel channel = FileChannel.open(part(directory, id), StandardOpenOption.CREATE_NEW,
				StandardOpenOption.WRITE)) {
			ByteBuffer bytes = ByteBuffer.wrap(header.toBytes());
			while (bytes.hasRemaining()) {
				channel.write(bytes);
			}
			channel.force(true);
		}
		fsync(directory);
	}

	/**
	 * Opens the upload's file to go on at a segment boundary: whatever lies beyond {@code segments} whole
	 * segments (a request that died before its offset moved) is cut off. A complete file that was renamed into
	 * place but never committed (a crash in between) is taken back first.
	 */
	public static FileChannel resume(Path directory, UUID id, long segments, int segmentSize) throws IOException {
		Path part = part(directory, id);
		Path finished = directory.resolve(id + ".smp");
		if (Files.notExists(part) && Files.exists(finished)) {
			Files.move(finished, part, StandardCopyOption.ATOMIC_MOVE);
			fsync(directory);
		}
		FileChannel channel = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
		try {
			long end = SegmentedStreamFormat.segmentOffset(segments, segmentSize);
			if (channel.size() < end) {
				throw new CiphertextAuthenticationException("Upload " + id + " holds fewer segments than its offset");
			}
			channel.truncate(end);
			channel.position(end);
			return channel;
		}
		catch (IOException | RuntimeException ex) {
			channel.close();
			throw ex;
		}
	}

	/** The header at the start of the upload's file. */
	public static SegmentedStreamHeader header(Path directory, UUID id) throws IOException {
		try (FileChannel channel = FileChannel.open(part(directory, id), StandardOpenOption.READ)) {
			ByteBuffer bytes = ByteBuffer.allocate(SegmentedStreamFormat.HEADER_LENGTH);
			while (bytes.hasRemaining()) {
				if (channel.read(bytes) < 0) {
					throw new CiphertextAuthenticationException("Upload " + id + " has no whole header");
				}
			}
			return SegmentedStreamHeader.parse(bytes.array());
		}
		catch (NoSuchFileException ex) {
			Path finished = directory.resolve(id + ".smp");
			if (Files.exists(finished)) {
				Files.move(finished, part(directory, id), StandardCopyOption.ATOMIC_MOVE);
				return header(directory, id);
			}
			throw ex;
		}
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

	public static byte[] readTail(Path directory, UUID id, long offset) throws IOException {
		Path tail = tail(directory, id, offset);
		if (Files.size(tail) > SegmentedStreamFormat.MAX_SEGMENT_SIZE + 64L) {
			throw new CiphertextAuthenticationException("The tail of upload " + id + " is too large");
		}
		return Files.readAllBytes(tail);
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
		Files.deleteIfExists(directory.resolve(id + ".smp"));
		Files.deleteIfExists(spool(directory, id));
		deleteTails(directory, id, -1);
	}

	public static void fsync(Path directory) throws IOException {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
	}

}
