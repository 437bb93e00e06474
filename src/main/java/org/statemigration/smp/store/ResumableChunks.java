package org.statemigration.smp.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.statemigration.smp.crypto.DataKey;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.SealedTail;
import org.statemigration.smp.crypto.SegmentedPrefixReader;
import org.statemigration.smp.crypto.SegmentedStreamFormat;
import org.statemigration.smp.crypto.SegmentedStreamHeader;
import org.statemigration.smp.crypto.SegmentedUploadWriter;
import org.statemigration.smp.settings.Settings;
import org.statemigration.smp.store.internal.ChecksumSpool;
import org.statemigration.smp.store.internal.ResumableUploadRepository;
import org.statemigration.smp.store.internal.ResumableUploadRepository.Row;
import org.statemigration.smp.store.internal.RunningDigests;
import org.statemigration.smp.store.internal.UploadFiles;

import org.springframework.stereotype.Component;

/**
 * Appends one chunk to a resumable upload. Whole segments are sealed into the upload's file as their bytes
 * arrive; the bytes after the last whole segment are sealed on their own into a tail file. Then the file is
 * fsynced, the tail written atomically, and only then does the offset move in the database: the offset never
 * counts a byte that a crash could lose, and a chunk of any size makes progress. A client that goes away mid-chunk
 * keeps what arrived. One request at a time per upload: a lease on its row, taken with a conditional update.
 */
@Component
class ResumableChunks {

	private static final int BUFFER = 256 * 1024;

	/** How long a lease lasts without renewal; requests renew theirs while they stream. */
	private static final Duration LEASE = Duration.ofMinutes(15);

	private static final Duration RENEW_EVERY = Duration.ofMinutes(1);

	private final ResumableUploadRepository uploads;

	private final StorageReservations reservations;

	private final RunningDigests digests;

	private final KeyEncryptionKeys keys;

	private final NodeIdentity node;

	private final Settings settings;

	private final Clock clock;

	/** Uploads a request on this server is writing: the lease alone would let this server's requests collide. */
	private final Set<UUID> writing = ConcurrentHashMap.newKeySet();

	ResumableChunks(ResumableUploadRepository uploads, StorageReservations reservations, RunningDigests digests,
			KeyEncryptionKeys keys, NodeIdentity node, Settings settings, Clock clock) {
		this.uploads = uploads;
		this.reservations = reservations;
		this.digests = digests;
		this.keys = keys;
		this.node = node;
		this.settings = settings;
		this.clock = clock;
	}

	/**
	 * @throws UploadConflictException if the offset is not where the upload stands or another request writes it
	 * @throws QuotaExceededException if the chunk goes beyond the upload's length
	 * @throws ChecksumMismatchException if the chunk fails its checksum
	 * @throws DigestMismatchException if the chunk completes the upload and the whole blob's SHA-256 differs from
	 * the declared one; the upload is then discarded
	 */
	ChunkAppended append(Row row, long offset, InputStream body, long contentLength, UploadChecksum checksum)
			throws IOException {
		if (row.offset() != offset) {
			throw new UploadConflictException("The upload is at offset " + row.offset() + ", not " + offset);
		}
		if (contentLength > row.length() - offset) {
			throw new QuotaExceededException("The chunk goes beyond the upload's length of " + row.length() + " bytes");
		}
		if (!this.writing.add(row.id())) {
			throw new UploadConflictException("Another request is writing this upload");
		}
		try {
			Instant now = this.clock.instant();
			if (!this.uploads.lease(row.id(), offset, this.node.id(), now, now.plus(LEASE))) {
				throw new UploadConflictException("Another request is writing this upload, or its offset moved on");
			}
			try {
				return write(row, offset, body, checksum);
			}
			finally {
				// a no-op once the offset moved on (which gives the lease back)
				this.uploads.release(row.id());
			}
		}
		finally {
			this.writing.remove(row.id());
		}
	}

	private ChunkAppended write(Row row, long offset, InputStream body, UploadChecksum checksum) throws IOException {
		Path directory = row.directory();
		Keeper keeper = new Keeper(row);
		byte[] rawKey = this.keys.unwrap(row.wrappedKey(), StateStores.keyContext(row.id()));
		try (DataKey key = DataKey.of(rawKey)) {
			SegmentedStreamHeader header = UploadFiles.header(directory, row.id());
			int segmentSize = header.segmentSize();
			byte[] associatedData = SegmentedStreamFormat.associatedData(row.id(), row.version());
			try (FileChannel part = UploadFiles.resume(directory, row.id(), offset / segmentSize, segmentSize)) {
				byte[] held = (offset % segmentSize == 0) ? new byte[0]
						: SealedTail.open(key, UploadFiles.readTail(directory, row.id(), offset), row.id(), offset);
				MessageDigest sha256 = runningDigest(row, offset, part, key, header, associatedData, held);
				try (ChecksumSpool spool = (checksum != null) ? spool(row, offset, body, checksum) : null;
						SegmentedUploadWriter writer = SegmentedUploadWriter.resume(part, key, header, associatedData,
								row.length(), offset, held)) {
					Arrays.fill(held, (byte) 0);
					IOException broken = copy((spool != null) ? spool.content() : body, writer, sha256, row, keeper);
					part.force(true);
					if (writer.complete()) {
						return complete(row, offset, sha256, keeper);
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
					Instant expires = keeper.touch();
					if (broken != null) {
						throw broken;
					}
					return new ChunkAppended(
							new ResumableUpload(row.id(), row.associationId(), row.length(), reached, expires), null);
				}
			}
		}
		finally {
			Arrays.fill(rawKey, (byte) 0);
		}
	}

	/**
	 * Copies the chunk into the writer. A failure to read (the client went away) ends the chunk where it broke
	 * and is returned, so that what arrived is kept; a failure to write is thrown.
	 */
	private IOException copy(InputStream in, SegmentedUploadWriter writer, MessageDigest sha256, Row row,
			Keeper keeper) throws IOException {
		byte[] buffer = new byte[BUFFER];
		try {
			while (true) {
				int read;
				try {
					read = in.readNBytes(buffer, 0, buffer.length);
				}
				catch (ChecksumSpool.ChunkTooLongException ex) {
					throw ex;
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

	private ChecksumSpool spool(Row row, long offset, InputStream body, UploadChecksum checksum) throws IOException {
		try {
			ChecksumSpool spool = ChecksumSpool.receive(UploadFiles.spool(row.directory(), row.id()), body,
					row.length() - offset, checksum.algorithm(), checksum.digest());
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

	private ChunkAppended complete(Row row, long offset, MessageDigest sha256, Keeper keeper) throws IOException {
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

	/**
	 * Keeps the upload alive while a chunk streams: its reservation's expiry and the request's lease are renewed
	 * once a minute, so that neither cleanup nor another request takes the upload from a slow but steady client.
	 */
	private final class Keeper {

		private final Row row;

		private Instant renewed;

		Keeper(Row row) {
			this.row = row;
			this.renewed = ResumableChunks.this.clock.instant();
		}

		void advanced() {
			if (ResumableChunks.this.clock.instant().isAfter(this.renewed.plus(RENEW_EVERY))) {
				touch();
				Instant now = ResumableChunks.this.clock.instant();
				ResumableChunks.this.uploads.renewLease(this.row.id(), ResumableChunks.this.node.id(), now.plus(LEASE));
			}
		}

		/** Marks the upload active; returns its new expiry. */
		Instant touch() {
			Duration expiry = ResumableChunks.this.settings.current().uploadExpiry();
			Reservation reservation = new Reservation(this.row.reservationId(), this.row.associationId(), this.row.id(),
					this.row.folder(), this.row.reservedBytes());
			ResumableChunks.this.reservations.grow(reservation, this.row.reservedBytes(), expiry);
			this.renewed = ResumableChunks.this.clock.instant();
			return this.renewed.plus(expiry);
		}

	}

}
