package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.statemigration.smp.crypto.Ciphertexts.ASSOCIATED_DATA;

class SegmentedStreamHeaderTests {

	@Test
	void writesTheDocumentedLayout() {
		SegmentedStreamHeader header = SegmentedStreamHeader.create(1 << 20, 0x01020304);
		byte[] bytes = header.toBytes();
		assertThat(bytes).hasSize(20);
		assertThat(bytes).startsWith('S', 'M', 'P', 'S', 1, 0x00, 0x10, 0x00, 0x00, 0x01, 0x02, 0x03, 0x04);
		assertThat(ByteBuffer.wrap(bytes, 13, 7).slice()).isEqualTo(ByteBuffer.wrap(header.noncePrefix()));
	}

	@Test
	void parsesWhatItWrites() {
		SegmentedStreamHeader header = SegmentedStreamHeader.create(64, 9);
		SegmentedStreamHeader parsed = SegmentedStreamHeader.parse(header.toBytes());
		assertThat(parsed.segmentSize()).isEqualTo(64);
		assertThat(parsed.keyVersion()).isEqualTo(9);
		assertThat(parsed.noncePrefix()).isEqualTo(header.noncePrefix());
	}

	@Test
	void drawsADifferentNoncePrefixForEachStream() {
		assertThat(SegmentedStreamHeader.create(64, 1).noncePrefix())
			.isNotEqualTo(SegmentedStreamHeader.create(64, 1).noncePrefix());
	}

	@Test
	void rejectsAnUnknownMagic() {
		byte[] bytes = SegmentedStreamHeader.create(64, 1).toBytes();
		bytes[0] = 'X';
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> SegmentedStreamHeader.parse(bytes));
	}

	@Test
	void rejectsAnUnknownFormatVersion() {
		byte[] bytes = SegmentedStreamHeader.create(64, 1).toBytes();
		bytes[4] = 2;
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> SegmentedStreamHeader.parse(bytes));
	}

	@Test
	void rejectsASegmentSizeOfZero() {
		byte[] bytes = SegmentedStreamHeader.create(64, 1).toBytes();
		ByteBuffer.wrap(bytes).putInt(5, 0);
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> SegmentedStreamHeader.parse(bytes));
	}

	@Test
	void rejectsASegmentSizeThatWouldExhaustMemory() {
		byte[] bytes = SegmentedStreamHeader.create(64, 1).toBytes();
		ByteBuffer.wrap(bytes).putInt(5, Integer.MAX_VALUE);
		assertThatExceptionOfType(CryptoException.class).isThrownBy(() -> SegmentedStreamHeader.parse(bytes));
	}

	@Test
	void readerRejectsAFileShorterThanAHeader() {
		try (DataKey key = DataKey.generate()) {
			assertThatExceptionOfType(CryptoException.class).isThrownBy(
					() -> SegmentedDecryptingReader.of(new ByteArrayChannel(new byte[19]), key, ASSOCIATED_DATA));
		}
	}

	@Test
	void readerRejectsAFileOfAnotherFormat() throws IOException {
		byte[] notOurs = "PK\3\4 this is a zip file, not a segmented ciphertext".getBytes();
		try (DataKey key = DataKey.generate()) {
			assertThatExceptionOfType(CryptoException.class)
				.isThrownBy(() -> SegmentedDecryptingReader.of(new ByteArrayChannel(notOurs), key, ASSOCIATED_DATA));
		}
	}

}
