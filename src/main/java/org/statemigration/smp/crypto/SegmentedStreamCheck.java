package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;

/**
 * Checks a whole ciphertext file in the segmented format without handing out its plaintext: every segment is read
 * in order, authenticated and decrypted into one buffer that is reused for the next, and its plaintext only fed to
 * a digest. The memory it holds is two segments, whatever the size of the file. Nothing is kept: the buffer is
 * cleared when the check ends.
 * <p>
 * Like {@link SegmentedDecryptingReader} it does not own the channel.
 */
public final class SegmentedStreamCheck {

	private final SegmentedDecryptingReader reader;

	private final SegmentCipher cipher;

	private SegmentedStreamCheck(SegmentedDecryptingReader reader, SegmentCipher cipher) {
		this.reader = reader;
		this.cipher = cipher;
	}

	/**
	 * Reads the file's header and compares the file's size with the one a plaintext of the expected size encrypts
	 * to; the segments are read by {@link #run}.
	 * @param key the data key; copied, so it may be closed once this returns
	 * @param plaintextSize the size of the plaintext that was written
	 * @throws CryptoException if the file is shorter than a header or the header is not one of this format
	 * @throws CiphertextSizeException if the file's size is not the one the plaintext encrypts to
	 */
	public static SegmentedStreamCheck of(SeekableByteChannel channel, DataKey key, byte[] associatedData,
			long plaintextSize) throws IOException {
		long size = channel.size();
		if (size >= SegmentedStreamFormat.HEADER_LENGTH) {
			ByteBuffer headerBytes = ByteBuffer.allocate(SegmentedStreamFormat.HEADER_LENGTH);
			channel.position(0);
			while (headerBytes.hasRemaining()) {
				if (channel.read(headerBytes) < 0) {
					break;
				}
			}
			if (!headerBytes.hasRemaining()) {
				long expected = SegmentedStreamHeader.parse(headerBytes.array()).ciphertextSize(plaintextSize);
				if (size != expected) {
					throw new CiphertextSizeException(size, expected);
				}
			}
		}
		else {
			throw new CiphertextSizeException(size, -1);
		}
		SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(channel, key, associatedData);
		return new SegmentedStreamCheck(reader,
				new SegmentCipher(key.secretKey(), reader.header(), associatedData.clone()));
	}

	/** The size of the plaintext, as derived from the size of the file. */
	public long plaintextSize() {
		return this.reader.plaintextSize();
	}

	/** The number of segments the file holds. */
	public long segments() {
		return this.reader.lastSegment() + 1;
	}

	/**
	 * Authenticates every segment in order and feeds its plaintext to the digest.
	 * @param digest gets the whole plaintext, in order
	 * @param pace told of every segment before it is read, with its sealed length: it may wait (a budget of bytes
	 * per second) or throw to stop the check
	 * @return the plaintext size
	 * @throws SegmentAuthenticationException naming the first segment that fails authentication
	 * @throws CiphertextAuthenticationException if the file ended early while it was read
	 */
	public long run(MessageDigest digest, Pace pace) throws IOException {
		int segmentSize = this.reader.header().segmentSize();
		int bufferSize = (int) Math.min(segmentSize, this.reader.plaintextSize());
		byte[] sealed = new byte[bufferSize + SegmentedStreamFormat.TAG_LENGTH];
		ByteBuffer sealedBuffer = ByteBuffer.wrap(sealed);
		byte[] plaintext = new byte[bufferSize];
		try {
			for (long index = 0; index <= this.reader.lastSegment(); index++) {
				int sealedLength = this.reader.sealedLength(index);
				pace.beforeSegment(index, sealedLength);
				sealedBuffer.clear().limit(sealedLength);
				this.reader.readSegment(index, sealedBuffer);
				int length;
				try {
					length = this.cipher.open(sealed, sealedLength, plaintext, index, this.reader.isLast(index));
				}
				catch (AEADBadTagException ex) {
					throw new SegmentAuthenticationException(index, ex);
				}
				digest.update(plaintext, 0, length);
			}
			return this.reader.plaintextSize();
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
	}

	/** What a check calls before it reads each segment. */
	@FunctionalInterface
	public interface Pace {

		/**
		 * @param index the segment about to be read, from 0
		 * @param sealedLength its length in the file, tag included
		 */
		void beforeSegment(long index, int sealedLength) throws IOException;

	}

}
