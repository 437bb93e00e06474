package org.statemigration.smp.crypto;

import java.nio.ByteBuffer;
import java.util.UUID;

/**
 * Constants and size arithmetic of the segmented stream format (DESIGN.md, decision 5).
 * <p>
 * A ciphertext file is a {@link SegmentedStreamHeader} of {@value #HEADER_LENGTH} bytes followed by sealed
 * segments. The plaintext is cut into segments of the header's segment size; segment {@code i} is sealed with
 * AES-256-GCM into its ciphertext followed by a {@value #TAG_LENGTH}-byte tag, under the nonce
 * {@code nonce prefix (7) || i (uint32, big-endian) || last flag (1 byte)}. Every segment but the last is
 * full; the last holds 1 to segment-size bytes, and only the empty plaintext is a single empty last segment.
 * Because of that rule the plaintext size follows from the ciphertext size alone.
 */
public final class SegmentedStreamFormat {

	/** The plaintext segment size used in production: 1 MiB. */
	public static final int DEFAULT_SEGMENT_SIZE = 1 << 20;

	/**
	 * The largest segment size a header may declare. The header is authenticated only when a segment is
	 * opened, so this bounds what a corrupted header can make a reader allocate.
	 */
	public static final int MAX_SEGMENT_SIZE = 1 << 24;

	/** Length of the header in bytes. */
	public static final int HEADER_LENGTH = 20;

	/** Length of the GCM tag that ends each sealed segment. */
	public static final int TAG_LENGTH = 16;

	/** The segment index is a uint32 in the nonce, so a stream has at most 2^32 segments. */
	public static final long MAX_SEGMENTS = 1L << 32;

	private SegmentedStreamFormat() {
	}

	/**
	 * The size of the ciphertext file for a plaintext of the given size.
	 * @throws IllegalArgumentException if the size is negative or needs more than 2^32 segments
	 */
	public static long ciphertextSize(long plaintextSize, int segmentSize) {
		return HEADER_LENGTH + segmentCount(plaintextSize, segmentSize) * TAG_LENGTH + plaintextSize;
	}

	/**
	 * The size of the plaintext held by a ciphertext file of the given size.
	 * @throws CryptoException if no plaintext encrypts to that size (the file was truncated or extended)
	 */
	public static long plaintextSize(long ciphertextSize, int segmentSize) {
		checkSegmentSize(segmentSize);
		long body = ciphertextSize - HEADER_LENGTH;
		long sealedSegment = (long) segmentSize + TAG_LENGTH;
		long fullSegments = body / sealedSegment;
		long rest = body % sealedSegment;
		if (body < TAG_LENGTH || (rest > 0 && rest <= TAG_LENGTH && !(fullSegments == 0 && rest == TAG_LENGTH))) {
			throw new CryptoException("Ciphertext size " + ciphertextSize + " is not a possible size");
		}
		if (fullSegments + ((rest > 0) ? 1 : 0) > MAX_SEGMENTS) {
			throw new CryptoException("Ciphertext of " + ciphertextSize + " bytes has too many segments");
		}
		return fullSegments * segmentSize + ((rest > 0) ? rest - TAG_LENGTH : 0);
	}

	/**
	 * The number of segments a plaintext of the given size is cut into (1 for the empty plaintext).
	 * @throws IllegalArgumentException if the size is negative or needs more than 2^32 segments
	 */
	public static long segmentCount(long plaintextSize, int segmentSize) {
		checkSegmentSize(segmentSize);
		if (plaintextSize < 0) {
			throw new IllegalArgumentException("Negative plaintext size " + plaintextSize);
		}
		long segments = (plaintextSize == 0) ? 1 : (plaintextSize - 1) / segmentSize + 1;
		if (segments > MAX_SEGMENTS) {
			throw new IllegalArgumentException(
					"A plaintext of " + plaintextSize + " bytes needs more than 2^32 segments of " + segmentSize);
		}
		return segments;
	}

	/** Where sealed segment {@code index} starts in the ciphertext file. */
	public static long segmentOffset(long index, int segmentSize) {
		checkSegmentSize(segmentSize);
		return HEADER_LENGTH + index * ((long) segmentSize + TAG_LENGTH);
	}

	/**
	 * The number of whole sealed segments in a partly written ciphertext file: after an interrupted upload,
	 * truncate the file to {@link #segmentOffset segmentOffset(n)} and resume at segment {@code n}.
	 * @throws IllegalArgumentException if the file does not even hold a whole header
	 */
	public static long completeSegments(long ciphertextSize, int segmentSize) {
		checkSegmentSize(segmentSize);
		if (ciphertextSize < HEADER_LENGTH) {
			throw new IllegalArgumentException("Ciphertext of " + ciphertextSize + " bytes has no complete header");
		}
		return (ciphertextSize - HEADER_LENGTH) / ((long) segmentSize + TAG_LENGTH);
	}

	/**
	 * The associated data that binds a ciphertext to one stored version: the store id (16 bytes) then the
	 * version (8 bytes, big-endian). Fixed lengths, so that no two pairs encode alike.
	 */
	public static byte[] associatedData(UUID storeId, long version) {
		return ByteBuffer.allocate(24)
			.putLong(storeId.getMostSignificantBits())
			.putLong(storeId.getLeastSignificantBits())
			.putLong(version)
			.array();
	}

	static void checkSegmentSize(int segmentSize) {
		if (segmentSize < 1 || segmentSize > MAX_SEGMENT_SIZE) {
			throw new IllegalArgumentException("Segment size " + segmentSize + " is not in 1.." + MAX_SEGMENT_SIZE);
		}
	}

}
