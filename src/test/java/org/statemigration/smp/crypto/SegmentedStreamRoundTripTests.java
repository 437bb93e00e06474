package org.statemigration.smp.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.statemigration.smp.crypto.Ciphertexts.ASSOCIATED_DATA;
import static org.statemigration.smp.crypto.Ciphertexts.decrypt;
import static org.statemigration.smp.crypto.Ciphertexts.encrypt;
import static org.statemigration.smp.crypto.Ciphertexts.plaintext;

class SegmentedStreamRoundTripTests {

	private static final int SEGMENT = 64;

	private static final int MIB = 1 << 20;

	private final DataKey key = DataKey.generate();

	private final SegmentedStreamHeader header = SegmentedStreamHeader.create(SEGMENT, 7);

	@AfterEach
	void closeKey() {
		this.key.close();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 2 * SEGMENT, 5 * SEGMENT + 17 })
	void roundTripsAtBoundarySizes(int size) throws IOException {
		byte[] plaintext = plaintext(size);
		byte[] ciphertext = encrypt(this.key, this.header, plaintext);
		assertThat((long) ciphertext.length).isEqualTo(SegmentedStreamFormat.ciphertextSize(size, SEGMENT));
		SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(new ByteArrayChannel(ciphertext), this.key,
				ASSOCIATED_DATA);
		assertThat(reader.plaintextSize()).isEqualTo(size);
		assertThat(reader.header().keyVersion()).isEqualTo(7);
		assertThat(decrypt(this.key, ciphertext)).isEqualTo(plaintext);
	}

	@Test
	void roundTripsOneByteAtATime() throws IOException {
		byte[] plaintext = plaintext(3 * SEGMENT + 5);
		ByteArrayChannel channel = new ByteArrayChannel();
		try (OutputStream out = SegmentedEncryptingOutputStream.start(channel, this.key, this.header,
				ASSOCIATED_DATA)) {
			for (byte b : plaintext) {
				out.write(b);
			}
		}
		SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(new ByteArrayChannel(channel.toByteArray()),
				this.key, ASSOCIATED_DATA);
		byte[] decrypted = new byte[plaintext.length];
		try (InputStream in = reader.open()) {
			for (int i = 0; i < decrypted.length; i++) {
				decrypted[i] = (byte) in.read();
			}
			assertThat(in.read()).isEqualTo(-1);
		}
		assertThat(decrypted).isEqualTo(plaintext);
	}

	@ParameterizedTest
	@ValueSource(ints = { 3 * MIB, 3 * MIB + 12345 })
	void roundTripsWithOneMebibyteSegmentsThroughFiles(int size, @TempDir Path dir) throws IOException {
		byte[] plaintext = plaintext(size);
		Path file = dir.resolve("blob");
		try (SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream
			.start(FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), this.key, 3,
					ASSOCIATED_DATA)) {
			// uneven writes, so that segment boundaries fall inside them
			for (int offset = 0; offset < size; offset += 100_000) {
				out.write(plaintext, offset, Math.min(100_000, size - offset));
			}
			assertThat(out.plaintextBytesWritten()).isEqualTo(size);
		}
		assertThat(file).hasSize(SegmentedStreamFormat.ciphertextSize(size, MIB));
		try (FileChannel channel = FileChannel.open(file)) {
			SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(channel, this.key, ASSOCIATED_DATA);
			assertThat(reader.header().segmentSize()).isEqualTo(MIB);
			assertThat(reader.plaintextSize()).isEqualTo(size);
			try (InputStream in = reader.open()) {
				assertThat(in.readAllBytes()).isEqualTo(plaintext);
			}
			try (InputStream in = reader.open(MIB - 10, MIB + 20)) {
				assertThat(in.readAllBytes()).isEqualTo(Arrays.copyOfRange(plaintext, MIB - 10, 2 * MIB + 10));
			}
		}
	}

	@Test
	void readsEveryRangeOfASmallBlob() throws IOException {
		int segment = 16;
		byte[] plaintext = plaintext(3 * segment + 8);
		byte[] ciphertext = encrypt(this.key, SegmentedStreamHeader.create(segment, 1), plaintext);
		SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(new ByteArrayChannel(ciphertext), this.key,
				ASSOCIATED_DATA);
		for (int offset = 0; offset <= plaintext.length; offset++) {
			for (int length = 0; offset + length <= plaintext.length; length++) {
				try (InputStream in = reader.open(offset, length)) {
					assertThat(in.readAllBytes()).as("range %d+%d", offset, length)
						.isEqualTo(Arrays.copyOfRange(plaintext, offset, offset + length));
				}
			}
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "0+64", "63+2", "64+64", "60+100", "256+20", "270+6", "275+1", "276+0", "128+0" })
	void readsRangesAtAndAcrossSegmentBoundaries(String range) throws IOException {
		long offset = Long.parseLong(range.substring(0, range.indexOf('+')));
		long length = Long.parseLong(range.substring(range.indexOf('+') + 1));
		byte[] plaintext = plaintext(4 * SEGMENT + 20);
		byte[] ciphertext = encrypt(this.key, this.header, plaintext);
		assertThat(decrypt(this.key, ciphertext, offset, length))
			.isEqualTo(Arrays.copyOfRange(plaintext, (int) offset, (int) (offset + length)));
	}

	@Test
	void readsAnEmptyRangeAtTheEndOfAnEmptyBlob() throws IOException {
		byte[] ciphertext = encrypt(this.key, this.header, new byte[0]);
		assertThat(decrypt(this.key, ciphertext, 0, 0)).isEmpty();
	}

	@Test
	void rejectsRangesOutsideThePlaintext() throws IOException {
		byte[] ciphertext = encrypt(this.key, this.header, plaintext(100));
		SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(new ByteArrayChannel(ciphertext), this.key,
				ASSOCIATED_DATA);
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> reader.open(-1, 1));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> reader.open(0, 101));
		assertThatExceptionOfType(IndexOutOfBoundsException.class).isThrownBy(() -> reader.open(100, 1));
	}

	@Test
	void rejectsWritesAfterClose() throws IOException {
		SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(new ByteArrayChannel(), this.key,
				this.header, ASSOCIATED_DATA);
		out.close();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> out.write(1));
	}

	@Test
	void holdsAFullSegmentUntilTheNextByteArrives() throws IOException {
		ByteArrayChannel channel = new ByteArrayChannel();
		SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(channel, this.key, this.header,
				ASSOCIATED_DATA);
		out.write(plaintext(SEGMENT));
		assertThat(out.segmentsWritten()).isZero();
		assertThat(channel.size()).isEqualTo(SegmentedStreamFormat.HEADER_LENGTH);
		out.write(1);
		assertThat(out.segmentsWritten()).isOne();
		assertThat(channel.size()).isEqualTo(SegmentedStreamFormat.segmentOffset(1, SEGMENT));
		assertThat(out.plaintextBytesWritten()).isEqualTo(SEGMENT + 1);
	}

	@Test
	void eachSegmentSealedInPlaceIsTheSegmentSealedIntoAnotherArray() throws IOException {
		byte[] plaintext = plaintext(3 * SEGMENT + 17);
		byte[] ciphertext = encrypt(this.key, this.header, plaintext);
		SegmentCipher cipher = new SegmentCipher(this.key.secretKey(), this.header, ASSOCIATED_DATA);
		long segments = SegmentedStreamFormat.segmentCount(plaintext.length, SEGMENT);
		for (long index = 0; index < segments; index++) {
			int from = (int) index * SEGMENT;
			int length = Math.min(SEGMENT, plaintext.length - from);
			byte[] sealed = new byte[length + SegmentedStreamFormat.TAG_LENGTH];
			cipher.seal(Arrays.copyOfRange(plaintext, from, from + length), length, sealed, index,
					index == segments - 1);
			int offset = (int) SegmentedStreamFormat.segmentOffset(index, SEGMENT);
			assertThat(Arrays.copyOfRange(ciphertext, offset, offset + sealed.length)).as("segment %d", index)
				.isEqualTo(sealed);
		}
	}

}
