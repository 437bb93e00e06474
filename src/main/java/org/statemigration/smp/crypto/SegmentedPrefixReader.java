package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;

/**
 * Reads the sealed segments of a file that is still being written (an unfinished resumable upload),
 * authenticating each one: to rebuild the SHA-256 of what an upload holds so far when no running digest survived
 * (a restart, another server), and to find how many segments beyond the acknowledged offset a request that ended
 * early sealed and wrote whole. Costs one read and one decryption of the segments read. Moves the channel's
 * position.
 */
final class SegmentedPrefixReader {

	private SegmentedPrefixReader() {
	}

	/**
	 * Feeds the plaintext of segments {@code 0..segments-1} of a blob of {@code length} bytes to the digest; the
	 * blob's last segment may be among them (an upload whose every segment is on disk but not yet committed).
	 * @throws CiphertextAuthenticationException if a segment fails authentication or the file is too short
	 */
	static void digest(SeekableByteChannel channel, DataKey key, SegmentedStreamHeader header, byte[] associatedData,
			long length, long segments, MessageDigest digest) throws IOException {
		Segments reader = new Segments(channel, key, header, associatedData, length);
		try {
			for (long index = 0; index < segments; index++) {
				int read = reader.open(index);
				if (read == Segments.SHORT) {
					throw new CiphertextAuthenticationException("The upload ends before segment " + index);
				}
				if (read == Segments.FAILED) {
					throw new CiphertextAuthenticationException("Segment " + index + " failed authentication");
				}
				digest.update(reader.plaintext, 0, read);
			}
		}
		finally {
			reader.close();
		}
	}

	/**
	 * Counts the segments from {@code first} on that are whole in the file and authenticate under the key, in
	 * order, stopping at the first one that is cut short (a torn write), fails authentication, or lies beyond the
	 * blob's last segment.
	 * @param length the whole blob's length, which tells which segment is the last and how long it is
	 */
	static long authenticated(SeekableByteChannel channel, DataKey key, SegmentedStreamHeader header,
			byte[] associatedData, long length, long first) throws IOException {
		long last = SegmentedStreamFormat.segmentCount(length, header.segmentSize()) - 1;
		Segments reader = new Segments(channel, key, header, associatedData, length);
		try {
			long index = first;
			while (index <= last && reader.open(index) >= 0) {
				index++;
			}
			return index - first;
		}
		finally {
			reader.close();
		}
	}

	/** Reads and opens one segment at a time into a buffer that is zeroed at the end. */
	private static final class Segments {

		static final int SHORT = -1;

		static final int FAILED = -2;

		private final SeekableByteChannel channel;

		private final SegmentCipher cipher;

		private final int segmentSize;

		private final long length;

		private final long lastSegment;

		private final byte[] sealed;

		final byte[] plaintext;

		Segments(SeekableByteChannel channel, DataKey key, SegmentedStreamHeader header, byte[] associatedData, long length) {
			this.channel = channel;
			this.cipher = new SegmentCipher(key.secretKey(), header, associatedData);
			this.segmentSize = header.segmentSize();
			this.length = length;
			this.lastSegment = SegmentedStreamFormat.segmentCount(length, this.segmentSize) - 1;
			this.sealed = new byte[this.segmentSize + SegmentedStreamFormat.TAG_LENGTH];
			this.plaintext = new byte[this.segmentSize];
		}

		/** The plaintext length of the segment, {@link #SHORT} if it is not whole in the file, or {@link #FAILED}. */
		int open(long index) throws IOException {
			boolean last = index == this.lastSegment;
			int plaintextLength = last ? (int) (this.length - index * this.segmentSize) : this.segmentSize;
			ByteBuffer buffer = ByteBuffer.wrap(this.sealed, 0, plaintextLength + SegmentedStreamFormat.TAG_LENGTH);
			this.channel.position(SegmentedStreamFormat.segmentOffset(index, this.segmentSize));
			while (buffer.hasRemaining()) {
				if (this.channel.read(buffer) < 0) {
					return SHORT;
				}
			}
			try {
				return this.cipher.open(this.sealed, buffer.limit(), this.plaintext, index, last);
			}
			catch (AEADBadTagException ex) {
				return FAILED;
			}
		}

		void close() {
			Arrays.fill(this.plaintext, (byte) 0);
		}

	}

}
