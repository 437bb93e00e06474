package org.statemigration.smp.store.internal.upload;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.ResumableSegmentedFile;
import org.statemigration.smp.store.ChecksumMismatchException;
import org.statemigration.smp.store.ChunkAppended;
import org.statemigration.smp.store.ChunkInterruptedException;
import org.statemigration.smp.store.DigestMismatchException;
import org.statemigration.smp.store.PendingStateStore;
import org.statemigration.smp.store.QuotaExceededException;
import org.statemigration.smp.store.ResumableUpload;
import org.statemigration.smp.store.UploadChecksum;
import org.statemigration.smp.store.UploadConflictException;
import org.statemigration.smp.store.blob.BlobWriter;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;
import org.statemigration.smp.store.internal.StorageRefusals;
import org.statemigration.smp.store.internal.VersionKeys;
import org.statemigration.smp.store.internal.upload.UploadLeases.Lease;

import org.springframework.stereotype.Component;

/**
 * Appends one chunk to a resumable upload. Whole segments are sealed into the upload's blob as their bytes
 * arrive; the bytes after the last whole segment are sealed on their own into a tail
 * ({@link ResumableSegmentedFile}). Then the blob is made durable, the tail written whole, and only then does the
 * offset move in the database: the offset never counts a byte that a crash could lose, and a chunk of any size
 * makes progress. A client that goes away mid-chunk keeps what arrived. Every request works under the upload's
 * lease ({@link UploadLeases}), on the upload rolled forward first ({@link UploadRollForward}).
 */
@Component
public class ResumableChunks {

	private static final int BUFFER = 256 * 1024;

	private final ResumableUploadRepository uploads;

	private final RunningDigests digests;

	private final UploadLeases leases;

	private final UploadRollForward rollForward;

	private final VersionKeys keys;

	private final UploadBlobs blobs;

	ResumableChunks(ResumableUploadRepository uploads, RunningDigests digests, UploadLeases leases,
			UploadRollForward rollForward, VersionKeys keys, UploadBlobs blobs) {
		this.uploads = uploads;
		this.digests = digests;
		this.leases = leases;
		this.rollForward = rollForward;
		this.keys = keys;
		this.blobs = blobs;
	}

	/**
	 * Appends a chunk. The upload is first rolled forward over the segments a request that ended early left
	 * beyond its offset; the chunk must then start where the upload stands.
	 * @throws UploadConflictException if the offset is not where the upload stands or another request writes it
	 * @throws QuotaExceededException if the chunk goes beyond the upload's length
	 * @throws ChecksumMismatchException if the chunk fails its checksum
	 * @throws DigestMismatchException if the chunk completes the upload and the whole blob's SHA-256 differs from
	 * the declared one
	 */
	public ChunkAppended append(Row row, long offset, InputStream body, long contentLength, UploadChecksum checksum)
			throws IOException {
		try (Lease lease = this.leases.take(row);
				DataKey key = this.keys.unwrap(row.id(), row.wrappedKey())) {
			long at = this.rollForward.rollForward(row, key);
			if (at != offset) {
				throw new UploadConflictException("The upload is at offset " + at + ", not " + offset);
			}
			StorageRefusals.refuseBeyondLength(contentLength, row.length() - offset, row.length());
			// a chunk with a checksum is verified before anything of the upload is touched
			try (ChecksumSpool spool = (checksum != null) ? spool(row, offset, body, checksum, lease) : null) {
				return kept(lease, write(row, offset, (spool != null) ? spool.content() : body, key, lease));
			}
		}
		catch (ChunkInterruptedException ex) {
			throw ex;
		}
		catch (IOException ex) {
			throw StorageRefusals.unlessDiskFull(ex, this.blobs.store(row), "the upload stays where it was");
		}
	}

	/**
	 * The upload as it stands, rolled forward first; an upload whose every segment turns out to be on disk is
	 * completed. While another request writes the upload it is reported at its stored offset.
	 * @throws DigestMismatchException if it completes and the whole blob's SHA-256 differs from the declared one
	 */
	public ChunkAppended settle(Row row) throws IOException {
		// most of the time there is nothing beyond the offset: no lease, no key
		if (!this.rollForward.pending(row)) {
			return standing(row, row.offset());
		}
		Optional<Lease> taken = this.leases.takeIfFree(row);
		if (taken.isEmpty()) {
			return standing(row, row.offset());
		}
		try (Lease lease = taken.get(); DataKey key = this.keys.unwrap(row.id(), row.wrappedKey())) {
			long at = this.rollForward.rollForward(row, key);
			return (at == row.length() && at > 0) ? kept(lease, completeOnDisk(row, key, lease))
					: standing(row, at);
		}
		catch (IOException ex) {
			throw StorageRefusals.unlessDiskFull(ex, this.blobs.store(row), "the upload stays where it was");
		}
	}

	/** A request that completed the upload keeps its lease until the commit. */
	private static ChunkAppended kept(Lease lease, ChunkAppended appended) {
		if (appended.completed() != null) {
			lease.completed();
		}
		return appended;
	}

	private static ChunkAppended standing(Row row, long offset) {
		return new ChunkAppended(new ResumableUpload(row.id(), row.associationId(), row.length(), offset,
				row.expiresAt()), null);
	}

	private ChunkAppended write(Row row, long offset, InputStream chunk, DataKey key, Lease lease)
			throws IOException {
		try (BlobWriter part = this.blobs.resume(row);
				ResumableSegmentedFile.Writer writer = UploadRollForward.file(row).open(part, key, offset,
						this.blobs.tail(row, offset), this.digests.take(row.id(), offset).orElse(null),
						part.readableFrom())) {
			IOException broken = copy(chunk, writer, row, lease);
			if (writer.complete()) {
				// the commit makes every byte durable
				return complete(row, part, writer.completed(), key, lease);
			}
			part.force();
			long reached = writer.offset();
			Optional<byte[]> tail = writer.sealTail();
			if (tail.isPresent()) {
				this.blobs.keepTail(row, reached, tail.get());
			}
			if (!this.uploads.advance(row.id(), offset, reached)) {
				throw new UploadConflictException("The upload was discarded or moved on meanwhile");
			}
			if (writer.runningDigest() != null) {
				this.digests.put(row.id(), reached, writer.runningDigest());
			}
			// the tail of the new offset stays, if it has one
			this.blobs.deleteTailsBut(row, reached);
			ResumableUpload upload = new ResumableUpload(row.id(), row.associationId(), row.length(), reached,
					lease.touch());
			if (broken != null) {
				throw new ChunkInterruptedException(upload, broken);
			}
			return new ChunkAppended(upload, null);
		}
	}

	/**
	 * Copies the chunk into the file. A failure to read (the client went away) ends the chunk where it broke and
	 * is returned, so that what arrived is kept; a failure to write is thrown.
	 */
	private IOException copy(InputStream in, ResumableSegmentedFile.Writer writer, Row row, Lease lease)
			throws IOException {
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
				StorageRefusals.refuseBeyondLength(read, row.length() - writer.offset(), row.length());
				writer.append(buffer, 0, read);
				lease.advanced();
				if (read == 0 || writer.complete()) {
					return null;
				}
			}
		}
		finally {
			Arrays.fill(buffer, (byte) 0);
		}
	}

	private ChecksumSpool spool(Row row, long offset, InputStream body, UploadChecksum checksum, Lease lease)
			throws IOException {
		try {
			ChecksumSpool spool = ChecksumSpool.receive(this.blobs.spool(row), body,
					row.length() - offset, checksum.algorithm(), checksum.digest(), lease::advanced);
			if (spool == null) {
				throw new ChecksumMismatchException("The chunk does not match its Upload-Checksum; nothing of it was kept");
			}
			return spool;
		}
		catch (ChecksumSpool.ChunkTooLongException ex) {
			throw StorageRefusals.beyondLength(row.length());
		}
	}

	private static void checkDigest(Row row, ResumableSegmentedFile.Completed completed) {
		if (row.expectedSha256() != null
				&& !MessageDigest.isEqual(completed.sha256(), HexFormat.of().parseHex(row.expectedSha256()))) {
			throw new DigestMismatchException(
					"The uploaded data's SHA-256 differs from the one declared in Upload-Metadata; nothing was stored");
		}
	}

	/** Completes an upload rolled forward to its length: every segment, the last one included, is on disk. */
	private ChunkAppended completeOnDisk(Row row, DataKey key, Lease lease) throws IOException {
		try (BlobWriter part = this.blobs.resume(row);
				ResumableSegmentedFile.Writer writer = UploadRollForward.file(row).open(part, key, row.length(),
						Optional.empty(), null, part.readableFrom())) {
			return complete(row, part, writer.completed(), key, lease);
		}
	}

	/**
	 * Checks the whole blob's SHA-256 and commits the blob. When the running digest was lost and could not be
	 * rebuilt (the blob cannot be read back before it is committed: an S3 location, after a restart or on another
	 * server), the blob is committed first and then read back once, every segment authenticated, to know its
	 * SHA-256; a mismatch then leaves a committed blob that no row records, which the caller's discard removes.
	 */
	private ChunkAppended complete(Row row, BlobWriter part, ResumableSegmentedFile.Completed written, DataKey key,
			Lease lease) throws IOException {
		ResumableSegmentedFile.Completed completed = written;
		if (completed.sha256() != null) {
			checkDigest(row, completed);
			part.commit();
		}
		else {
			part.commit();
			try (SeekableByteChannel blob = this.blobs.read(row)) {
				completed = UploadRollForward.file(row).verify(blob, key);
			}
			checkDigest(row, completed);
		}
		this.blobs.deleteTails(row);
		this.digests.forget(row.id());
		return new ChunkAppended(new ResumableUpload(row.id(), row.associationId(), row.length(), row.length(),
				lease.touch()), new PendingStateStore(row.id(), row.associationId(), row.version(), completed.size(),
						HexFormat.of().formatHex(completed.sha256())));
	}

}
