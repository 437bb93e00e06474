package org.statemigration.smp.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.statemigration.smp.crypto.Ciphertexts.ASSOCIATED_DATA;
import static org.statemigration.smp.crypto.Ciphertexts.concat;
import static org.statemigration.smp.crypto.Ciphertexts.decrypt;
import static org.statemigration.smp.crypto.Ciphertexts.encrypt;
import static org.statemigration.smp.crypto.Ciphertexts.flipBit;
import static org.statemigration.smp.crypto.Ciphertexts.plaintext;

/**
 * Every change to a ciphertext must fail authentication. Blobs of five segments of 64 bytes, the last holding 20
 * bytes ({@code ciphertext}), and of four full segments ({@code fullCiphertext}).
 */
class SegmentedStreamTamperTests {

	private static final int SEGMENT = 64;

	private static final int SEALED = SEGMENT + SegmentedStreamFormat.TAG_LENGTH;

	private final DataKey key = DataKey.generate();

	private final SegmentedStreamHeader header = SegmentedStreamHeader.create(SEGMENT, 1);

	private final byte[] plaintext = plaintext(4 * SEGMENT + 20);

	private byte[] ciphertext;

	private byte[] fullCiphertext;

	@BeforeEach
	void encryptBlobs() throws IOException {
		this.ciphertext = encrypt(this.key, this.header, this.plaintext);
		this.fullCiphertext = encrypt(this.key, this.header, plaintext(4 * SEGMENT));
		assertThat(decrypt(this.key, this.ciphertext)).isEqualTo(this.plaintext);
	}

	@AfterEach
	void closeKey() {
		this.key.close();
	}

	@Test
	void rejectsTruncationInTheMiddleOfASegment() {
		assertAuthenticationFails(cut(this.ciphertext, offset(2) + 30));
	}

	@Test
	void rejectsTruncationAtASegmentBoundary() {
		// the cut leaves three whole segments: the third was sealed as not last
		assertAuthenticationFails(cut(this.ciphertext, offset(3)));
	}

	@Test
	void rejectsTruncationThatDropsAFullLastSegment() {
		assertAuthenticationFails(cut(this.fullCiphertext, offset(3)));
	}

	@Test
	void rejectsTruncationToWhatLooksLikeAnEmptyBlob() {
		assertAuthenticationFails(cut(this.ciphertext, offset(0) + SegmentedStreamFormat.TAG_LENGTH));
	}

	@Test
	void rejectsTruncationToAnImpossibleSize() {
		assertThatExceptionOfType(CryptoException.class)
			.isThrownBy(() -> decrypt(this.key, cut(this.ciphertext, offset(1) + 5)));
	}

	@Test
	void rejectsAppendedBytes() {
		assertAuthenticationFails(concat(this.ciphertext, new byte[] { 0 }));
	}

	@Test
	void rejectsBytesAppendedAfterAFullLastSegment() {
		// one byte after a whole segment gives a size no plaintext encrypts to
		assertThatExceptionOfType(CryptoException.class)
			.isThrownBy(() -> decrypt(this.key, concat(this.fullCiphertext, new byte[] { 0 })));
	}

	@Test
	void rejectsAnAppendedCopyOfTheLastSegment() {
		assertAuthenticationFails(concat(this.fullCiphertext, segment(this.fullCiphertext, 3)));
	}

	@Test
	void rejectsAFlippedBitInSegmentCiphertext() {
		assertAuthenticationFails(flipBit(this.ciphertext, offset(1) + 10));
	}

	@Test
	void rejectsAFlippedBitInATag() {
		assertAuthenticationFails(flipBit(this.ciphertext, offset(2) + SEALED - 1));
	}

	@Test
	void rejectsAFlippedBitInTheLastSegmentsTag() {
		assertAuthenticationFails(flipBit(this.ciphertext, this.ciphertext.length - 1));
	}

	@Test
	void rejectsAFlippedBitInTheNoncePrefix() {
		assertAuthenticationFails(flipBit(this.ciphertext, 13));
	}

	@Test
	void rejectsAFlippedBitInTheSegmentSize() {
		// 64 becomes 65: the size still parses, the header no longer matches the associated data
		assertAuthenticationFails(flipBit(this.ciphertext, 8));
	}

	@Test
	void rejectsAFlippedBitInTheKeyVersion() {
		assertAuthenticationFails(flipBit(this.ciphertext, 12));
	}

	@Test
	void rejectsADroppedSegment() {
		assertAuthenticationFails(concat(Arrays.copyOf(this.ciphertext, offset(1)),
				Arrays.copyOfRange(this.ciphertext, offset(2), this.ciphertext.length)));
	}

	@Test
	void rejectsADuplicatedSegment() {
		assertAuthenticationFails(concat(Arrays.copyOf(this.ciphertext, offset(2)), segment(this.ciphertext, 1),
				Arrays.copyOfRange(this.ciphertext, offset(2), this.ciphertext.length)));
	}

	@Test
	void rejectsSwappedSegments() {
		assertAuthenticationFails(concat(Arrays.copyOf(this.ciphertext, offset(1)), segment(this.ciphertext, 2),
				segment(this.ciphertext, 1), Arrays.copyOfRange(this.ciphertext, offset(3), this.ciphertext.length)));
	}

	@Test
	void rejectsASwappedSegmentInARangeRead() {
		byte[] swapped = concat(Arrays.copyOf(this.ciphertext, offset(1)), segment(this.ciphertext, 2),
				segment(this.ciphertext, 1), Arrays.copyOfRange(this.ciphertext, offset(3), this.ciphertext.length));
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> decrypt(this.key, swapped, SEGMENT + 3, 10));
	}

	@Test
	void rejectsASegmentFromAnotherStreamUnderTheSameKey() throws IOException {
		byte[] other = encrypt(this.key, SegmentedStreamHeader.create(SEGMENT, 1), this.plaintext);
		assertAuthenticationFails(concat(Arrays.copyOf(this.ciphertext, offset(1)), segment(other, 1),
				Arrays.copyOfRange(this.ciphertext, offset(2), this.ciphertext.length)));
	}

	@Test
	void rejectsTheWrongKey() {
		try (DataKey wrong = DataKey.generate()) {
			assertThatExceptionOfType(CiphertextAuthenticationException.class)
				.isThrownBy(() -> decrypt(wrong, this.ciphertext));
		}
	}

	@Test
	void rejectsTheWrongKeyEvenForAnEmptyBlob() throws IOException {
		byte[] empty = encrypt(this.key, this.header, new byte[0]);
		try (DataKey wrong = DataKey.generate()) {
			assertThatExceptionOfType(CiphertextAuthenticationException.class).isThrownBy(() -> decrypt(wrong, empty));
		}
	}

	@Test
	void rejectsTheWrongStoreVersion() {
		byte[] otherVersion = SegmentedStreamFormat.associatedData(Ciphertexts.STORE_ID, 2);
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> decrypt(this.key, otherVersion, this.ciphertext));
	}

	@Test
	void rejectsTheWrongStoreId() {
		byte[] otherStore = SegmentedStreamFormat.associatedData(UUID.randomUUID(), 1);
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> decrypt(this.key, otherStore, this.ciphertext));
	}

	@Test
	void deliversNoByteOfAFailingSegment() throws IOException {
		byte[] tampered = flipBit(this.ciphertext, offset(2) + 5);
		SegmentedDecryptingReader reader = SegmentedDecryptingReader.of(new ByteArrayChannel(tampered), this.key,
				ASSOCIATED_DATA);
		ByteArrayOutputStream delivered = new ByteArrayOutputStream();
		byte[] buffer = new byte[7];
		InputStream in = reader.open();
		assertThatExceptionOfType(CiphertextAuthenticationException.class).isThrownBy(() -> {
			for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
				delivered.write(buffer, 0, n);
			}
		});
		assertThat(delivered.toByteArray()).isEqualTo(Arrays.copyOf(this.plaintext, 2 * SEGMENT));
		assertThatExceptionOfType(CiphertextAuthenticationException.class).isThrownBy(() -> in.read(buffer));
	}

	private void assertAuthenticationFails(byte[] tampered) {
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> decrypt(this.key, tampered));
	}

	private static int offset(int segment) {
		return (int) SegmentedStreamFormat.segmentOffset(segment, SEGMENT);
	}

	private static byte[] segment(byte[] ciphertext, int index) {
		return Ciphertexts.segment(ciphertext, index, SEGMENT);
	}

	private static byte[] cut(byte[] ciphertext, int length) {
		return Arrays.copyOf(ciphertext, length);
	}

}
