package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.SealedTail;
import org.statemigration.smp.crypto.SegmentedPrefixReader;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.crypto.SegmentedStreamHeader;
import org.statemigration.smp.crypto.SegmentedUploadWriter;
import org.statemigration.smp.store.internal.ChecksumSpool;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;
import org.statemigration.smp.store.internal.RunningDigests;
import org.statemigration.smp.store.internal.UploadFiles;
import org.statemigration.smp.store.internal.UploadRollForward;

import org.springframework.stereotype.Component;

/**
 * Appends one chunk to a resumable upload. Whole segments are sealed into the upload's file as their bytes
 * arrive; the bytes after the last whole segment are sealed on their own into a tail file. Then the file is
 * fsynced, the tail written atomically, and only then does the offset move in the database: the offset never
 * counts a byte that a crash could lose, and a chunk of any size makes progress. A client that goes away mid-chunk
 * keeps what arrived. Every request works under the upload's lease, on the upload rolled forward first
 * ({@link UploadLeases}).
 */
@Component
class ResumableChunks {

	private static final int BUFFER = 256 * 1024;

	private final ResumableUploadRepository uploads;

	private final RunningDigests digests;

	private final UploadLeases leases;

	private final UploadRollForward rollForward;

	ResumableChunks(ResumableUploadRepository uploads, RunningDigests digests, UploadLeases leases,
			UploadRollForward rollForward) {
		this.uploads = uploads;
		this.digests = digests;
		this.leases = leases;
		this.rollForward = rollForward;
	}

	/**
	 * Appends a chunk. The upload is first rolled forward over the segments a request that ended early left
	 * beyond its offset (see {@link UploadLeases}); the chunk must then start where the upload stands.
	 * @throws UploadConflictException if the offset is not where the upload stands or another request writes it
	 * @throws QuotaExceededException if the chunk goes beyond the upload's length
	 * @throws ChecksumMismatchException if the chunk fails its checksum
	 * @throws DigestMismatchException if the chunk completes the upload and the whole blob's SHA-256 differs from
	 * the declared one; the upload is then discarded
	 */
	ChunkAppended append(Row row, long offset, InputStream body, long contentLength, UploadChecksum checksum)
			throws IOException {
		return this.leases.run(row, true, (key, at, keeper) -> {
			if (at != offset) {
				throw new UploadConflictException("The upload is at offset " + at + ", not " + offset);
			}
			if (contentLength > row.length() - offset) {
				throw new QuotaExceededException(
						"The chunk goes beyond the upload's length of " + row.length() + " bytes");
			}
			// a chunk with a checksum is verified before anything of the upload is touched
			try (ChecksumSpool spool = (checksum != null) ? spool(row, offset, body, checksum, keeper) : null) {
				return write(row, offset, (spool != null) ? spool.content() : body, key, keeper);
			}
		});
	}

	/**
	 * The upload as it stands, rolled forward first (see {@link UploadLeases}); an upload whose every
	 * segment turns out to be on disk is completed. While another request writes the upload it is reported at
	 * its stored offset.
	 * @throws DigestMismatchException if it completes and the whole blob's SHA-256 differs from the declared one
	 */
	ChunkAppended settle(Row row) throws IOException {
		// most of the time there is nothing beyond the offset: no lease, no key
		if (!this.rollForward.pending(row)) {
			return standing(row, row.offset());
		}
		ChunkAppended settled = this.leases.run(row, false, (key, at, keeper) -> (at == row.length() && at > 0)
				? completeOnDisk(row, key, keeper) : standing(row, at));
		return (settled != null) ? settled : standing(row, row.offset());
	}

	private static ChunkAppended standing(Row row, long offset) {
		return new ChunkAppended(new ResumableUpload(row.id(), row.associationId(), row.length(), offset,
				row.expiresAt()), null);
	}

	private ChunkAppended write(Row row, long offset, InputStream chunk, DataKey key, UploadKeeper keeper)
			throws IOException {
		if (offset == row.length() && offset > 0) {
			// rolled forward to its end: an empty chunk completes it
			if (chunk.read() >= 0) {
				throw new QuotaExceededException(
						"The chunk goes beyond the upload's length of " + row.length() + " bytes");
			}
			return completeOnDisk(row, key, keeper);
		}
		Path directory = row.directory();
		SegmentedStreamHeader header = UploadFiles.header(directory, row.id());
		int segmentSize = header.segmentSize();
		byte[] associatedData = SegmentedStreamFormat.associatedData(row.id(), row.version());
		try (FileChannel part = UploadFiles.resume(directory, row.id(), offset / segmentSize, segmentSize)) {
			byte[] held = (offset % segmentSize == 0) ? new byte[0]
					: SealedTail.open(key, UploadFiles.readTail(directory, row.id(), offset), row.id(), offset);
			MessageDigest sha256 = runningDigest(row, offset, part, key, header, associatedData, held);
			try (SegmentedUploadWriter writer = SegmentedUploadWriter.resume(part, key, header, associatedData,
					row.length(), offset, held)) {
				Arrays.fill(held, (byte) 0);
				IOException broken = copy(chunk, writer, sha256, row, keeper);
				part.force(true);
				if (writer.complete()) {
					return complete(row, sha256, keeper);
				}
				long reached = writer.offset();
				if (reached % segmentSize != 0 && reached != offset) {
					byte[] tail = writer.held();
					try {
						UploadFiles.writeTail(directory, row.id(), reached, SealedTail.seal(key, tail, row.id(), reached));
					}
					finally {
						Arrays.fill(tail, (byte) 0);
					}
				}
				if (!this.uploads.advance(row.id(), offset, reached)) {
					throw new UploadConflictException("The upload was discarded or moved on meanwhile");
				}
				this.digests.put(row.id(), reached, sha256);
				UploadFiles.deleteTails(directory, row.id(), (reached % segmentSize != 0) ? reached : -1);
				ResumableUpload upload = new ResumableUpload(row.id(), row.associationId(), row.length(), reached,
						keeper.touch());
				if (broken != null) {
					throw new ChunkInterruptedException(upload, broken);
				}
				return new ChunkAppended(upload, null);
			}
		}
	}

	/**
	 * Copies the chunk into the writer. A failure to read (the client went away) ends the chunk where it broke
	 * and is returned, so that what arrived is kept; a failure to write is thrown.
	 */
	private IOException copy(InputStream in, SegmentedUploadWriter writer, MessageDigest sha256, Row row,
			UploadKeeper keeper) throws IOException {
		byte[] buffer = new byte[BUFFER];
		try {
			while (true) {
				int read;
				try {
					read = in.readNBytes(buffer, 0, buffer.length);
				}
				catch (IOException ex) {
					return ex;
				}
				if (read == 0 && writer.offset() < row.length()) {
					return null;
				}
				if (read > row.length() - writer.offset()) {
					throw new QuotaExceededException(
							"The chunk goes beyond the upload's length of " + row.length() + " bytes");
				}
				sha256.update(buffer, 0, read);
				writer.write(buffer, 0, read);
				keeper.advanced();
				if (read == 0 || writer.complete()) {
					return null;
				}
			}
		}
		finally {
			Arrays.fill(buffer, (byte) 0);
		}
	}

	private ChecksumSpool spool(Row row, long offset, InputStream body, UploadChecksum checksum, UploadKeeper keeper)
			throws IOException {
		try {
			ChecksumSpool spool = ChecksumSpool.receive(UploadFiles.spool(row.directory(), row.id()), body,
					row.length() - offset, checksum.algorithm(), checksum.digest(), keeper::advanced);
			if (spool == null) {
				throw new ChecksumMismatchException("The chunk does not match its Upload-Checksum; nothing of it was kept");
			}
			return spool;
		}
		catch (ChecksumSpool.ChunkTooLongException ex) {
			throw new QuotaExceededException("The chunk goes beyond the upload's length of " + row.length() + " bytes");
		}
	}

	/** The digest of the bytes before {@code offset}: kept from the previous chunk, or rebuilt from the file. */
	private MessageDigest runningDigest(Row row, long offset, FileChannel part, DataKey key,
			SegmentedStreamHeader header, byte[] associatedData, byte[] held) throws IOException {
		MessageDigest kept = this.digests.take(row.id(), offset).orElse(null);
		if (kept != null) {
			return kept;
		}
		MessageDigest sha256 = ChecksumSpool.digest("SHA-256");
		SegmentedPrefixReader.digest(part, key, header, associatedData, offset / header.segmentSize(), sha256);
		sha256.update(held);
		return sha256;
	}

	/** Completes an upload rolled forward to its length: every segment, the last one included, is on disk. */
	private ChunkAppended completeOnDisk(Row row, DataKey key, UploadKeeper keeper) throws IOException {
		Path directory = row.directory();
		SegmentedStreamHeader header = UploadFiles.header(directory, row.id());
		MessageDigest sha256 = ChecksumSpool.digest("SHA-256");
		try (FileChannel part = FileChannel.open(UploadFiles.part(directory, row.id()), StandardOpenOption.READ)) {
			SegmentedPrefixReader.digest(part, key, header, SegmentedStreamFormat.associatedData(row.id(), row.version()),
					row.length(), SegmentedStreamFormat.segmentCount(row.length(), header.segmentSize()), sha256);
		}
		return complete(row, sha256, keeper);
	}

	private ChunkAppended complete(Row row, MessageDigest sha256, UploadKeeper keeper) throws IOException {
		byte[] digest = sha256.digest();
		String hex = HexFormat.of().formatHex(digest);
		Path directory = row.directory();
		if (row.expectedSha256() != null && !MessageDigest.isEqual(digest, HexFormat.of().parseHex(row.expectedSha256()))) {
			throw new DigestMismatchException(
					"The uploaded data's SHA-256 differs from the one declared in Upload-Metadata; nothing was stored");
		}
		Files.move(UploadFiles.part(directory, row.id()), directory.resolve(row.id() + ".smp"),
				StandardCopyOption.ATOMIC_MOVE);
		UploadFiles.fsync(directory);
		UploadFiles.deleteTails(directory, row.id(), -1);
		this.digests.forget(row.id());
		return new ChunkAppended(new ResumableUpload(row.id(), row.associationId(), row.length(), row.length(),
				keeper.touch()), new PendingStateStore(row.id(), row.associationId(), row.version(), row.length(), hex));
	}

}
