package org.statemigration.smp.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;

import javax.crypto.spec.SecretKeySpec;

/**
 * Reads a ciphertext file in the segmented format of {@link SegmentedStreamFormat}: validates its header,
 * derives the plaintext size from the file size, and opens decrypting streams over any byte range, reading
 * only the segments that the range covers.
 * <p>
 * Each stream authenticates a segment before returning any byte of it, and holds two segments of memory
 * whatever the size of the blob. Segments are checked as they are read: a range that ends before the last
 * segment is not told that the file was truncated after it (compare the size with the stored one for that).
 * <p>
 * The reader does not own the channel: close it once the streams are done. Streams from one reader may be read
 * from different threads if the channel is a {@link FileChannel}; other channels are read one call at a time.
 */
public final class SegmentedDecryptingReader {

	private final SeekableByteChannel channel;

	private final SegmentedStreamHeader header;

	private final SecretKeySpec key;

	private final byte[] associatedData;

	private final long plaintextSize;

	private final long lastSegment;

	private SegmentedDecryptingReader(SeekableByteChannel channel, SegmentedStreamHeader header, SecretKeySpec key,
			byte[] associatedData, long plaintextSize) {
		this.channel = channel;
		this.header = header;
		this.key = key;
		this.associatedData = associatedData;
		this.plaintextSize = plaintextSize;
		this.lastSegment = SegmentedStreamFormat.segmentCount(plaintextSize, header.segmentSize()) - 1;
	}

	/**
	 * Reads and checks the header of a ciphertext file.
	 * @param key the data key; copied, so it may be closed once the reader exists
	 * @param associatedData what the file was written with, e.g. {@link SegmentedStreamFormat#associatedData}
	 * @throws CryptoException if the magic or format version is unknown, the segment size is out of range, or
	 * no plaintext encrypts to the file's size
	 */
	public static SegmentedDecryptingReader of(SeekableByteChannel channel, DataKey key, byte[] associatedData)
			throws IOException {
		Objects.requireNonNull(associatedData, "associatedData");
		long size = channel.size();
		if (size < SegmentedStreamFormat.HEADER_LENGTH) {
			throw new CryptoException("Ciphertext is shorter than its header");
		}
		ByteBuffer headerBytes = ByteBuffer.allocate(SegmentedStreamFormat.HEADER_LENGTH);
		readFully(channel, headerBytes, 0);
		SegmentedStreamHeader header = SegmentedStreamHeader.parse(headerBytes.array());
		return new SegmentedDecryptingReader(channel, header, key.secretKey(), associatedData.clone(),
				header.plaintextSize(size));
	}

	SegmentedStreamHeader header() {
		return this.header;
	}

	/** The size of the plaintext, as derived from the size of the file when the reader was created. */
	public long plaintextSize() {
		return this.plaintextSize;
	}

	/** Opens a stream over the whole plaintext. */
	public InputStream open() throws IOException {
		return open(0, this.plaintextSize);
	}

	/**
	 * Opens a stream over {@code length} bytes of plaintext from {@code offset}. The segment holding
	 * {@code offset} is read and authenticated at once, even for an empty range, so that a bad file or a wrong
	 * key fails here, before a caller commits to a response.
	 * @throws IndexOutOfBoundsException if the range is not within the plaintext
	 * @throws CiphertextAuthenticationException if the first segment fails authentication; the stream throws
	 * it for any later segment that fails
	 */
	public InputStream open(long offset, long length) throws IOException {
		Objects.checkFromIndexSize(offset, length, this.plaintextSize);
		SegmentCipher cipher = new SegmentCipher(this.key, this.header, this.associatedData);
		// a small blob needs no full-size segment buffers
		int bufferSize = (int) Math.min(this.header.segmentSize(), this.plaintextSize);
		return new SegmentDecryptingInputStream(this, cipher, bufferSize, offset, length);
	}

	long lastSegment() {
		return this.lastSegment;
	}

	boolean isLast(long index) {
		return index == this.lastSegment;
	}

	int sealedLength(long index) {
		int segmentSize = this.header.segmentSize();
		int plaintextLength = (index < this.lastSegment) ? segmentSize
				: (int) (this.plaintextSize - this.lastSegment * segmentSize);
		return plaintextLength + SegmentedStreamFormat.TAG_LENGTH;
	}

	void readSegment(long index, ByteBuffer destination) throws IOException {
		readFully(this.channel, destination, SegmentedStreamFormat.segmentOffset(index, this.header.segmentSize()));
	}

	private static void readFully(SeekableByteChannel channel, ByteBuffer destination, long position)
			throws IOException {
		if (channel instanceof FileChannel file) {
			// positional reads leave the channel's position alone, so streams may run concurrently
			while (destination.hasRemaining()) {
				int n = FileChannelSlices.read(file, destination, position + destination.position());
				checkNotEnded(n);
			}
			return;
		}
		synchronized (channel) {
			channel.position(position);
			while (destination.hasRemaining()) {
				checkNotEnded(channel.read(destination));
			}
		}
	}

	private static void checkNotEnded(int n) throws CiphertextAuthenticationException {
		if (n < 0) {
			throw new CiphertextAuthenticationException("Ciphertext ended early: it was truncated while read");
		}
	}

}
