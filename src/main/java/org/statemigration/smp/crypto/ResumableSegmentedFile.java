package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The encrypted file of a blob of known length that arrives in pieces over many requests, restarts and servers: a
 * resumable upload (ADR 0005). It owns the whole life of the file in the segmented format: its header when it is
 * created; the look that tells whether a request which ended early left sealed segments beyond the acknowledged
 * offset, and the roll-forward over those that authenticate; opening the file at an offset, with the sealed tail of
 * that offset and the running digest of what came before (rebuilt from the file when it was not kept); appending,
 * which seals every segment as soon as its bytes are in, the last one as last; sealing the bytes after the last
 * whole segment on their own for the next request; and the size and SHA-256 of the whole plaintext once every
 * segment is in.
 * <p>
 * The file holds exactly the whole segments its offset counts, so after a request that finished it holds
 * {@code offset / segmentSize} sealed segments, and the rest (fewer than a segment) waits in the tail, sealed under
 * a fresh random nonce. No segment index is ever sealed twice with other bytes: segments are sealed once, and the
 * roll-forward keeps whatever a dead request sealed whole.
 * <p>
 * It reads and writes the channel it is given, and nothing else: where the file and its tails are kept, and in
 * which order they are made durable, is the caller's. The channel must not be used by anyone else meanwhile.
 */
public final class ResumableSegmentedFile {

	/** The most bytes a sealed tail takes: what the place that keeps tails must hold. */
	public static final int MAX_TAIL_LENGTH = SealedTail.MAX_LENGTH;

	private final UUID id;

	private final long length;

	private final byte[] associatedData;

	/**
	 * @param id the upload's id, which is its stored version's id
	 * @param version the version's number, bound into every segment with the id
	 * @param length the whole blob's length, which tells which segment is the last and how long it is
	 */
	public ResumableSegmentedFile(UUID id, long version, long length) {
		if (length < 0) {
			throw new IllegalArgumentException("Negative length " + length);
		}
		this.id = id;
		this.length = length;
		this.associatedData = SegmentedStreamFormat.associatedData(id, version);
	}

	/**
	 * Writes the header of a new file: segments of {@link SegmentedStreamFormat#DEFAULT_SEGMENT_SIZE}, a fresh
	 * random nonce prefix.
	 * @param keyVersion the version of the key-encryption key that wraps the upload's data key
	 */
	public void create(WritableByteChannel file, int keyVersion) throws IOException {
		create(file, SegmentedStreamHeader.create(SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE, keyVersion));
	}

	void create(WritableByteChannel file, SegmentedStreamHeader header) throws IOException {
		ByteBuffer bytes = ByteBuffer.wrap(header.toBytes());
		while (bytes.hasRemaining()) {
			file.write(bytes);
		}
	}

	/**
	 * Whether the file may need rolling forward or completing: it holds bytes beyond the whole segments that the
	 * offset counts, or every byte is in. A look that changes nothing and needs no key.
	 */
	public boolean holdsMoreThan(SeekableByteChannel file, long offset) throws IOException {
		if (offset == this.length) {
			return this.length > 0;
		}
		Optional<SegmentedStreamHeader> header = header(file);
		if (header.isEmpty()) {
			return false;
		}
		int segmentSize = header.get().segmentSize();
		return file.size() > SegmentedStreamFormat.segmentOffset(offset / segmentSize, segmentSize);
	}

	/**
	 * Rolls the file forward over the whole segments that a request which ended before moving the offset sealed
	 * beyond it. They are read in order and authenticated under the key: every one that authenticates is kept, the
	 * first one that is cut short (a torn write) or fails, and everything after it, is cut off. The caller makes the
	 * file durable before it moves the offset on.
	 * @return empty if the file holds nothing beyond the offset (nothing was changed); otherwise the offset the file
	 * stands at now: the old one if nothing authenticated, else the end of the last kept segment, or the length if
	 * the last segment is among them
	 */
	public OptionalLong rollForward(SeekableByteChannel file, DataKey key, long offset) throws IOException {
		return rollForward(file, key, offset, 0);
	}

	/**
	 * Rolls the file forward, as {@link #rollForward(SeekableByteChannel, DataKey, long)}, in a file that cannot be
	 * read back before {@code readableFrom}: the whole segments before it were sealed here and stored whole (an
	 * object store acknowledged them, checking their checksum), so they are kept without being read, and only
	 * those after it are authenticated. Nothing before it is cut.
	 * @param readableFrom where the file can be read back from (0 when all of it can)
	 */
	public OptionalLong rollForward(SeekableByteChannel file, DataKey key, long offset, long readableFrom)
			throws IOException {
		if (offset == this.length) {
			return OptionalLong.empty();
		}
		SegmentedStreamHeader header = requireHeader(file);
		int segmentSize = header.segmentSize();
		long first = offset / segmentSize;
		if (file.size() <= SegmentedStreamFormat.segmentOffset(first, segmentSize)) {
			return OptionalLong.empty();
		}
		long segments = SegmentedStreamFormat.segmentCount(this.length, segmentSize);
		long from = Math.max(first, storedBefore(readableFrom, segmentSize));
		long kept = (from - first)
				+ SegmentedPrefixReader.authenticated(file, key, header, this.associatedData, this.length, from);
		// a torn segment and whatever follows it go now: the file must hold exactly what the offset will count
		file.truncate((first + kept == segments) ? SegmentedStreamFormat.ciphertextSize(this.length, segmentSize)
				: SegmentedStreamFormat.segmentOffset(first + kept, segmentSize));
		return OptionalLong.of((kept == 0) ? offset : Math.min((first + kept) * segmentSize, this.length));
	}

	/** The whole segments that lie before a position of the file (all of them at its end). */
	private long storedBefore(long position, int segmentSize) {
		if (position <= SegmentedStreamFormat.HEADER_LENGTH) {
			return 0;
		}
		long segments = SegmentedStreamFormat.segmentCount(this.length, segmentSize);
		if (position >= SegmentedStreamFormat.ciphertextSize(this.length, segmentSize)) {
			return segments;
		}
		return Math.min(segments, SegmentedStreamFormat.completeSegments(position, segmentSize));
	}

	/**
	 * Opens the file to go on at {@code offset}: whatever lies beyond the whole segments the offset counts is cut
	 * off, the tail that holds the bytes after them is opened, and the running digest is taken or rebuilt. At the
	 * length (every segment in, a roll-forward found them all) the file is complete at once.
	 * @param sealedTail the tail sealed at this offset; needed only when the offset lies inside a segment
	 * @param runningDigest the SHA-256 of the first {@code offset} bytes, kept from the request before, or null to
	 * rebuild it by reading and authenticating the file
	 * @throws CiphertextAuthenticationException if the file holds fewer segments than the offset counts, the tail
	 * is missing or fails authentication, or a segment read to rebuild the digest fails
	 */
	public Writer open(SeekableByteChannel file, DataKey key, long offset, Optional<byte[]> sealedTail,
			MessageDigest runningDigest) throws IOException {
		return open(file, key, offset, sealedTail, runningDigest, 0);
	}

	/**
	 * Opens the file to go on at {@code offset}, as
	 * {@link #open(SeekableByteChannel, DataKey, long, Optional, MessageDigest)}, in a file that cannot be read back
	 * before {@code readableFrom}. Without a running digest, and with segments before that point, the digest
	 * cannot be rebuilt: it is then unknown, the writer hashes nothing, and {@link Writer#completed()} leaves the
	 * SHA-256 to {@link #verify} once the blob is committed and can be read whole.
	 * @param readableFrom where the file can be read back from (0 when all of it can)
	 */
	public Writer open(SeekableByteChannel file, DataKey key, long offset, Optional<byte[]> sealedTail,
			MessageDigest runningDigest, long readableFrom) throws IOException {
		if (offset < 0 || offset > this.length) {
			throw new IllegalArgumentException("Offset " + offset + " is not within 0.." + this.length);
		}
		SegmentedStreamHeader header = requireHeader(file);
		int segmentSize = header.segmentSize();
		boolean whole = offset == this.length && offset > 0;
		long segments = whole ? SegmentedStreamFormat.segmentCount(this.length, segmentSize) : offset / segmentSize;
		long end = whole ? SegmentedStreamFormat.ciphertextSize(this.length, segmentSize)
				: SegmentedStreamFormat.segmentOffset(segments, segmentSize);
		if (file.size() < end) {
			throw new CiphertextAuthenticationException("Upload " + this.id + " holds fewer segments than its offset");
		}
		file.truncate(end);
		byte[] held = (whole || offset % segmentSize == 0) ? new byte[0] : SealedTail.open(key,
				sealedTail.orElseThrow(() -> new CiphertextAuthenticationException(
						"The tail of upload " + this.id + " at " + offset + " is missing")),
				this.id, offset);
		try {
			boolean rebuildable = segments == 0 || readableFrom <= SegmentedStreamFormat.HEADER_LENGTH;
			MessageDigest digest = (runningDigest != null) ? runningDigest
					: rebuildable ? rebuild(file, key, header, segments, held) : null;
			file.position(end);
			return new Writer(file, key, header, offset, held, digest, whole);
		}
		finally {
			Arrays.fill(held, (byte) 0);
		}
	}

	/**
	 * Reads a committed blob whole, authenticating every segment, the last one as last, and gives the size and
	 * SHA-256 of its plaintext: the check of an upload whose running digest was lost and could not be rebuilt
	 * (its blob could not be read back before it was committed).
	 * @throws CiphertextAuthenticationException if a segment fails authentication, or the blob is not exactly as
	 * long as the length says
	 */
	public Completed verify(SeekableByteChannel blob, DataKey key) throws IOException {
		SegmentedStreamHeader header = requireHeader(blob);
		int segmentSize = header.segmentSize();
		if (blob.size() != SegmentedStreamFormat.ciphertextSize(this.length, segmentSize)) {
			throw new CiphertextAuthenticationException("Upload " + this.id + " has " + blob.size()
					+ " bytes, not the ones its length gives");
		}
		MessageDigest digest = sha256();
		SegmentedPrefixReader.digest(blob, key, header, this.associatedData, this.length,
				SegmentedStreamFormat.segmentCount(this.length, segmentSize), digest);
		return new Completed(this.length, digest.digest());
	}

	private MessageDigest rebuild(SeekableByteChannel file, DataKey key, SegmentedStreamHeader header,
			long segments, byte[] held) throws IOException {
		MessageDigest digest = sha256();
		SegmentedPrefixReader.digest(file, key, header, this.associatedData, this.length, segments, digest);
		digest.update(held);
		return digest;
	}

	private SegmentedStreamHeader requireHeader(SeekableByteChannel file) throws IOException {
		return header(file).orElseThrow(
				() -> new CiphertextAuthenticationException("Upload " + this.id + " has no whole header"));
	}

	private static Optional<SegmentedStreamHeader> header(SeekableByteChannel file) throws IOException {
		ByteBuffer bytes = ByteBuffer.allocate(SegmentedStreamFormat.HEADER_LENGTH);
		file.position(0);
		while (bytes.hasRemaining()) {
			if (file.read(bytes) < 0) {
				return Optional.empty();
			}
		}
		return Optional.of(SegmentedStreamHeader.parse(bytes.array()));
	}

	private static MessageDigest sha256() {
		try {
			return MessageDigest.getInstance("SHA-256", "SUN");
		}
		catch (NoSuchAlgorithmException | NoSuchProviderException ex) {
			throw new IllegalStateException("SHA-256 of the SUN provider is not available", ex);
		}
	}

	/**
	 * The file opened at an offset: takes the blob's next bytes, seals each segment as soon as it is whole, and
	 * hashes every byte into the running digest. Not thread-safe. {@link #close} zeroes the bytes it holds and leaves
	 * the channel open.
	 */
	public final class Writer implements AutoCloseable {

		private final SegmentedUploadWriter segments;

		private final DataKey key;

		private final long opened;

		private final MessageDigest digest;

		private Writer(SeekableByteChannel file, DataKey key, SegmentedStreamHeader header, long offset, byte[] held,
				MessageDigest digest, boolean whole) {
			this.segments = whole ? null
					: SegmentedUploadWriter.resume(file, key, header, ResumableSegmentedFile.this.associatedData,
							ResumableSegmentedFile.this.length, offset, held);
			this.key = key;
			this.opened = offset;
			this.digest = digest;
		}

		/**
		 * Takes the next bytes of the blob. A call with no bytes seals the empty blob's only segment.
		 * @throws IllegalArgumentException if the bytes go beyond the blob's length (nothing of them is taken)
		 */
		public void append(byte[] bytes, int offset, int length) throws IOException {
			if (length > ResumableSegmentedFile.this.length - offset()) {
				throw new IllegalArgumentException("The blob is " + ResumableSegmentedFile.this.length
						+ " bytes long; " + (offset() + length) + " would go beyond it");
			}
			if (this.segments != null) {
				if (this.digest != null) {
					this.digest.update(bytes, offset, length);
				}
				this.segments.write(bytes, offset, length);
			}
		}

		/** Bytes of the blob taken so far, sealed or held. */
		public long offset() {
			return (this.segments != null) ? this.segments.offset() : ResumableSegmentedFile.this.length;
		}

		/** Whether every segment is sealed, the last one included. */
		public boolean complete() {
			return this.segments == null || this.segments.complete();
		}

		/**
		 * The bytes taken after the last whole segment, sealed on their own for the next request at
		 * {@link #offset()}: AES-256-GCM under the data key, a fresh random nonce, bound to the upload and the
		 * offset. Empty when there are none, or when they are those of the tail the file was opened with.
		 */
		public Optional<byte[]> sealTail() {
			if (complete() || offset() == this.opened) {
				return Optional.empty();
			}
			byte[] held = this.segments.held();
			if (held.length == 0) {
				return Optional.empty();
			}
			try {
				return Optional.of(SealedTail.seal(this.key, held, ResumableSegmentedFile.this.id, offset()));
			}
			finally {
				Arrays.fill(held, (byte) 0);
			}
		}

		/**
		 * The running digest, standing at {@link #offset()}: to keep for the request that goes on from there; null
		 * when it is unknown. It is this writer's no more.
		 */
		public MessageDigest runningDigest() {
			return this.digest;
		}

		/**
		 * The size and SHA-256 of the whole plaintext; the SHA-256 is null when the digest is unknown, for the caller
		 * to {@link ResumableSegmentedFile#verify} the committed blob.
		 * @throws IllegalStateException if a segment is still missing
		 */
		public Completed completed() {
			if (!complete()) {
				throw new IllegalStateException("Upload " + ResumableSegmentedFile.this.id + " is not complete");
			}
			return new Completed(ResumableSegmentedFile.this.length, (this.digest != null) ? this.digest.digest() : null);
		}

		/** Zeroes the bytes held after the last whole segment; the channel stays open. */
		@Override
		public void close() {
			if (this.segments != null) {
				this.segments.close();
			}
		}

	}

	/**
	 * A file with every segment in.
	 * @param size the plaintext's size
	 * @param sha256 the plaintext's SHA-256, or null when it is not known yet (see {@link ResumableSegmentedFile#verify})
	 */
	public record Completed(long size, byte[] sha256) {
	}

}
