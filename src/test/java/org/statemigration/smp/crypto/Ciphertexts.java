package org.statemigration.smp.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

/**
 * Encrypts and decrypts whole (small) blobs in memory, and cuts sealed segments out of them, for tests.
 */
final class Ciphertexts {

	static final UUID STORE_ID = UUID.fromString("3f2b8c1e-6a4d-4e0f-9b7a-2c5d8e1f0a36");

	static final byte[] ASSOCIATED_DATA = SegmentedStreamFormat.associatedData(STORE_ID, 1);

	private Ciphertexts() {
	}

	static byte[] plaintext(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

	static byte[] encrypt(DataKey key, SegmentedStreamHeader header, byte[] plaintext) throws IOException {
		ByteArrayChannel channel = new ByteArrayChannel();
		try (SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(channel, key, header,
				ASSOCIATED_DATA)) {
			out.write(plaintext);
		}
		return channel.toByteArray();
	}

	static byte[] decrypt(DataKey key, byte[] ciphertext) throws IOException {
		return decrypt(key, ASSOCIATED_DATA, ciphertext);
	}

	static byte[] decrypt(DataKey key, byte[] associatedData, byte[] ciphertext) throws IOException {
		SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(new ByteArrayChannel(ciphertext), key,
				associatedData);
		try (InputStream in = reader.open()) {
			return in.readAllBytes();
		}
	}

	static byte[] decrypt(DataKey key, byte[] ciphertext, long offset, long length) throws IOException {
		SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(new ByteArrayChannel(ciphertext), key,
				ASSOCIATED_DATA);
		try (InputStream in = reader.open(offset, length)) {
			return in.readAllBytes();
		}
	}

	static byte[] header(byte[] ciphertext) {
		return Arrays.copyOf(ciphertext, SegmentedStreamFormat.HEADER_LENGTH);
	}

	/** The sealed bytes of segment {@code index}: ciphertext and tag. */
	static byte[] segment(byte[] ciphertext, int index, int segmentSize) {
		int start = (int) SegmentedStreamFormat.segmentOffset(index, segmentSize);
		int end = Math.min(ciphertext.length, start + segmentSize + SegmentedStreamFormat.TAG_LENGTH);
		return Arrays.copyOfRange(ciphertext, start, end);
	}

	static byte[] concat(byte[]... parts) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] part : parts) {
			out.writeBytes(part);
		}
		return out.toByteArray();
	}

	static byte[] flipBit(byte[] bytes, int index) {
		byte[] copy = bytes.clone();
		copy[index] ^= 0x01;
		return copy;
	}

}
