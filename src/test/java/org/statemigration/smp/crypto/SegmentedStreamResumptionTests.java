package org.statemigration.smp.crypto;

import java.io.IOException;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.statemigration.smp.crypto.Ciphertexts.ASSOCIATED_DATA;
import static org.statemigration.smp.crypto.Ciphertexts.concat;
import static org.statemigration.smp.crypto.Ciphertexts.decrypt;
import static org.statemigration.smp.crypto.Ciphertexts.encrypt;
import static org.statemigration.smp.crypto.Ciphertexts.plaintext;

class SegmentedStreamResumptionTests {

	private static final int SEGMENT = 64;

	private final DataKey key = DataKey.generate();

	private final SegmentedStreamHeader header = SegmentedStreamHeader.create(SEGMENT, 1);

	@AfterEach
	void closeKey() {
		this.key.close();
	}

	@Test
	void resumesAtASegmentBoundaryWithTheSameResultAsOnePass() throws IOException {
		byte[] plaintext = plaintext(6 * SEGMENT + 9);
		byte[] onePass = encrypt(this.key, this.header, plaintext);

		ByteArrayChannel file = new ByteArrayChannel();
		SegmentedEncryptingOutputStream first = SegmentedEncryptingOutputStream.start(file, this.key, this.header,
				ASSOCIATED_DATA);
		first.write(plaintext, 0, 3 * SEGMENT + 30);
		assertThat(first.segmentsWritten()).isEqualTo(3);
		first.abandon();
		// a torn write of the next segment, which the store cuts off before resuming
		file = new ByteArrayChannel(concat(file.toByteArray(), new byte[40]));

		SegmentedStreamHeader stored = SegmentedStreamHeader.parse(Ciphertexts.header(file.toByteArray()));
		long next = SegmentedStreamFormat.completeSegments(file.size(), stored.segmentSize());
		assertThat(next).isEqualTo(3);
		file.truncate(SegmentedStreamFormat.segmentOffset(next, stored.segmentSize()));
		file.position(file.size());
		try (SegmentedEncryptingOutputStream second = SegmentedEncryptingOutputStream.resume(file, this.key, stored,
				next, ASSOCIATED_DATA)) {
			assertThat(second.plaintextBytesWritten()).isEqualTo(3 * SEGMENT);
			second.write(plaintext, (int) (next * SEGMENT), plaintext.length - (int) (next * SEGMENT));
		}

		assertThat(decrypt(this.key, file.toByteArray())).isEqualTo(plaintext);
		// same key, header and associated data: GCM is deterministic, so the very same bytes
		assertThat(file.toByteArray()).isEqualTo(onePass);
	}

	@Test
	void resumesAtTheFirstSegment() throws IOException {
		byte[] plaintext = plaintext(2 * SEGMENT);
		ByteArrayChannel file = new ByteArrayChannel(this.header.toBytes());
		file.position(file.size());
		try (SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.resume(file, this.key,
				this.header, 0, ASSOCIATED_DATA)) {
			out.write(plaintext);
		}
		assertThat(decrypt(this.key, file.toByteArray())).isEqualTo(plaintext);
	}

	@Test
	void refusesToEndAResumedStreamWithoutAByte() throws IOException {
		ByteArrayChannel file = new ByteArrayChannel();
		SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.resume(file, this.key, this.header, 2,
				ASSOCIATED_DATA);
		assertThatExceptionOfType(IOException.class).isThrownBy(out::finish);
		assertThat(file.size()).isZero();
	}

	@Test
	void abandonedStreamDoesNotDecryptAsAWholeBlob() throws IOException {
		ByteArrayChannel file = new ByteArrayChannel();
		SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(file, this.key, this.header,
				ASSOCIATED_DATA);
		out.write(plaintext(2 * SEGMENT + 1));
		out.abandon();
		// two whole segments, neither marked last
		assertThat(file.toByteArray()).hasSize((int) SegmentedStreamFormat.segmentOffset(2, SEGMENT));
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> decrypt(this.key, file.toByteArray()));
	}

	@Test
	void closingAfterAFailedWriteSealsNothing() throws IOException {
		ByteArrayChannel file = new ByteArrayChannel();
		SegmentedEncryptingOutputStream out = SegmentedEncryptingOutputStream.start(file, this.key, this.header,
				ASSOCIATED_DATA);
		out.write(plaintext(SEGMENT));
		file.close();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> out.write(1));
		out.close();
		assertThat(file.toByteArray()).hasSize(SegmentedStreamFormat.HEADER_LENGTH);
	}

}
