package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;

/**
 * Reads the whole sealed segments at the start of a file that is still being written (an unfinished resumable
 * upload), authenticating each one, and feeds their plaintext to a digest: the way to rebuild the SHA-256 of
 * what an upload holds so far when no running digest survived (a restart, another server). Costs one read and
 * one decryption of the prefix.
 */
public final class SegmentedPrefixReader {

	private SegmentedPrefixReader() {
	}

	/**
	 * Feeds the plaintext of segments {@code 0..segments-1} to the digest. None of them may be the last of the
	 * blob: an unfinished upload has not sealed its last segment yet.
	 * @throws CiphertextAuthenticationException if a segment fails authentication or the file is too short
	 */
	public static void digest(FileChannel channel, DataKey key, SegmentedStreamHeader header, byte[] associatedData,
			long segments, MessageDigest digest) throws IOException {
		int segmentSize = header.segmentSize();
		SegmentCipher cipher = new SegmentCipher(key.secretKey(), header, associatedData);
		byte[] sealed = new byte[segmentSize + SegmentedStreamFormat.TAG_LENGTH];
		byte[] plaintext = new byte[segmentSize];
		try {
			for (long index = 0; index < segments; index++) {
				ByteBuffer buffer = ByteBuffer.wrap(sealed);
				long position = SegmentedStreamFormat.segmentOffset(index, segmentSize);
				while (buffer.hasRemaining()) {
					if (channel.read(buffer, position + buffer.position()) < 0) {
						throw new CiphertextAuthenticationException("The upload ends before segment " + index);
					}
				}
				try {
					int length = cipher.open(sealed, sealed.length, plaintext, index, false);
					digest.update(plaintext, 0, length);
				}
				catch (AEADBadTagException ex) {
					throw new CiphertextAuthenticationException("Segment " + index + " failed authentication", ex);
				}
			}
		}
		finally {
			Arrays.fill(plaintext, (byte) 0);
		}
	}

}
