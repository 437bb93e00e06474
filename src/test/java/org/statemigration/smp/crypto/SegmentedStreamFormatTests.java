package org.statemigration.smp.crypto;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SegmentedStreamFormatTests {

	private static final int HEADER = SegmentedStreamFormat.HEADER_LENGTH;

	private static final int TAG = SegmentedStreamFormat.TAG_LENGTH;

	@ParameterizedTest
	@ValueSource(ints = { 1, 16, 64 })
	void derivesThePlaintextSizeFromTheCiphertextSize(int segmentSize) {
		for (long size = 0; size < 20L * segmentSize; size++) {
			long ciphertextSize = SegmentedStreamFormat.ciphertextSize(size, segmentSize);
			assertThat(SegmentedStreamFormat.plaintextSize(ciphertextSize, segmentSize)).isEqualTo(size);
		}
	}

	@Test
	void countsOneSegmentForTheEmptyPlaintext() {
		assertThat(SegmentedStreamFormat.segmentCount(0, 64)).isOne();
		assertThat(SegmentedStreamFormat.ciphertextSize(0, 64)).isEqualTo(HEADER + TAG);
	}

	@Test
	void sizesATenGibibyteBlobWithOneMebibyteSegments() {
		long tenGib = 10L << 30;
		int mib = SegmentedStreamFormat.DEFAULT_SEGMENT_SIZE;
		assertThat(SegmentedStreamFormat.ciphertextSize(tenGib, mib)).isEqualTo(HEADER + 10_240L * TAG + tenGib);
		assertThat(SegmentedStreamFormat.plaintextSize(HEADER + 10_240L * TAG + tenGib, mib)).isEqualTo(tenGib);
	}

	@ParameterizedTest
	@ValueSource(longs = { 0, HEADER - 1, HEADER, HEADER + TAG - 1, HEADER + 80 + 5, HEADER + 80 + TAG })
	void rejectsCiphertextSizesNoPlaintextEncryptsTo(long ciphertextSize) {
		assertThatExceptionOfType(CryptoException.class)
			.isThrownBy(() -> SegmentedStreamFormat.plaintextSize(ciphertextSize, 64));
	}

	@Test
	void refusesMoreSegmentsThanTheNonceCanCount() {
		assertThat(SegmentedStreamFormat.segmentCount(16L << 32, 16)).isEqualTo(1L << 32);
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> SegmentedStreamFormat.segmentCount((16L << 32) + 1, 16));
	}

	@Test
	void countsCompleteSegmentsOfAPartlyWrittenFile() {
		assertThat(SegmentedStreamFormat.completeSegments(HEADER, 64)).isZero();
		assertThat(SegmentedStreamFormat.completeSegments(HEADER + 2 * 80 + 79, 64)).isEqualTo(2);
		assertThat(SegmentedStreamFormat.segmentOffset(2, 64)).isEqualTo(HEADER + 2 * 80);
	}

	@Test
	void encodesAssociatedDataWithFixedLengths() {
		UUID id = UUID.randomUUID();
		assertThat(SegmentedStreamFormat.associatedData(id, 1)).hasSize(24)
			.isNotEqualTo(SegmentedStreamFormat.associatedData(id, 2));
	}

}
