package org.statemigration.smp.crypto;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The fixed header at the start of a segmented ciphertext file, {@value SegmentedStreamFormat#HEADER_LENGTH}
 * bytes, integers big-endian:
 * <pre>
 * offset length  field
 *      0      4  magic "SMPS" (0x53 0x4D 0x50 0x53)
 *      4      1  format version, 1
 *      5      4  plaintext segment size in bytes (int, 1..16 MiB)
 *      9      4  key version: the KEK version that wrapped the data key when the file was written (int)
 *     13      7  random nonce prefix
 * </pre>
 * The header is not sealed on its own: its bytes are part of every segment's associated data, so changing any
 * of them makes every segment fail authentication.
 */
final class SegmentedStreamHeader {

	/** Current (and only) format version. */
	static final byte FORMAT_VERSION = 1;

	/** Length of the random nonce prefix. */
	static final int NONCE_PREFIX_LENGTH = 7;

	private static final byte[] MAGIC = { 'S', 'M', 'P', 'S' };

	private static final SecureRandom RANDOM = new SecureRandom();

	private final int segmentSize;

	private final int keyVersion;

	private final byte[] noncePrefix;

	private SegmentedStreamHeader(int segmentSize, int keyVersion, byte[] noncePrefix) {
		this.segmentSize = segmentSize;
		this.keyVersion = keyVersion;
		this.noncePrefix = noncePrefix;
	}

	/**
	 * A header for a new stream, with a fresh random nonce prefix.
	 * @param segmentSize the plaintext segment size, {@link SegmentedStreamFormat#DEFAULT_SEGMENT_SIZE} in
	 * production
	 * @param keyVersion the version of the key-encryption key that wraps the stream's data key
	 */
	static SegmentedStreamHeader create(int segmentSize, int keyVersion) {
		SegmentedStreamFormat.checkSegmentSize(segmentSize);
		byte[] prefix = new byte[NONCE_PREFIX_LENGTH];
		RANDOM.nextBytes(prefix);
		return new SegmentedStreamHeader(segmentSize, keyVersion, prefix);
	}

	/**
	 * Parses the first {@value SegmentedStreamFormat#HEADER_LENGTH} bytes of a ciphertext file. This checks the
	 * structure only; the header is authenticated when a segment is opened.
	 * @throws CryptoException if the bytes are too short, the magic or format version is unknown, or the
	 * segment size is out of range
	 */
	static SegmentedStreamHeader parse(byte[] bytes) {
		if (bytes == null || bytes.length < SegmentedStreamFormat.HEADER_LENGTH) {
			throw new CryptoException("Ciphertext is shorter than its header");
		}
		ByteBuffer in = ByteBuffer.wrap(bytes);
		byte[] magic = new byte[MAGIC.length];
		in.get(magic);
		if (!Arrays.equals(magic, MAGIC)) {
			throw new CryptoException("Not a segmented ciphertext (unknown magic)");
		}
		byte version = in.get();
		if (version != FORMAT_VERSION) {
			throw new CryptoException("Unknown segmented ciphertext format version " + version);
		}
		int segmentSize = in.getInt();
		if (segmentSize < 1 || segmentSize > SegmentedStreamFormat.MAX_SEGMENT_SIZE) {
			throw new CryptoException("Segmented ciphertext declares an impossible segment size " + segmentSize);
		}
		int keyVersion = in.getInt();
		byte[] prefix = new byte[NONCE_PREFIX_LENGTH];
		in.get(prefix);
		return new SegmentedStreamHeader(segmentSize, keyVersion, prefix);
	}

	/** The header as written at the start of the file. */
	byte[] toBytes() {
		return ByteBuffer.allocate(SegmentedStreamFormat.HEADER_LENGTH)
			.put(MAGIC)
			.put(FORMAT_VERSION)
			.putInt(this.segmentSize)
			.putInt(this.keyVersion)
			.put(this.noncePrefix)
			.array();
	}

	int segmentSize() {
		return this.segmentSize;
	}

	/**
	 * The KEK version recorded when the file was written. Rotation re-wraps data keys without rewriting blobs,
	 * so after a rotation this is history; the wrapped key itself says which version unwraps it.
	 */
	int keyVersion() {
		return this.keyVersion;
	}

	/** A copy of the nonce prefix. */
	byte[] noncePrefix() {
		return this.noncePrefix.clone();
	}

	/** The size of the plaintext held by a ciphertext file of the given size written with this header. */
	long plaintextSize(long ciphertextSize) {
		return SegmentedStreamFormat.plaintextSize(ciphertextSize, this.segmentSize);
	}

	/** The size of the ciphertext file for a plaintext of the given size written with this header. */
	long ciphertextSize(long plaintextSize) {
		return SegmentedStreamFormat.ciphertextSize(plaintextSize, this.segmentSize);
	}

	@Override
	public String toString() {
		return "SegmentedStreamHeader[v" + FORMAT_VERSION + ", segment size " + this.segmentSize + ", key version "
				+ this.keyVersion + "]";
	}

}
