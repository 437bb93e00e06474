package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.statemigration.smp.crypto.Ciphertexts.ASSOCIATED_DATA;
import static org.statemigration.smp.crypto.Ciphertexts.decrypt;
import static org.statemigration.smp.crypto.Ciphertexts.encrypt;
import static org.statemigration.smp.crypto.Ciphertexts.plaintext;

/**
 * The writer of resumable uploads: a blob written in pieces of any size, each piece resumed from the sealed
 * segments and the held bytes of the one before, is the very file a single pass writes; the held bytes survive on
 * disk only sealed; and the prefix of an unfinished upload can be hashed back.
 */
class SegmentedUploadWriterTests {

	private static final int SEGMENT = 64;

	private static final UUID UPLOAD = UUID.fromString("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5");

	private final DataKey key = DataKey.generate();

	private final SegmentedStreamHeader header = SegmentedStreamHeader.create(SEGMENT, 1);

	@AfterEach
	void closeKey() {
		this.key.close();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 5 * SEGMENT, 5 * SEGMENT + 17 })
	void writesInPiecesOfAnySizeTheSameFileAsOnePass(int length) throws IOException {
		byte[] plaintext = plaintext(length);
		int[] pieces = { 1, 7, SEGMENT - 1, SEGMENT, 3, 2 * SEGMENT + 5, 100 };
		ByteArrayChannel file = new ByteArrayChannel(this.header.toBytes());
		file.position(file.size());
		int offset = 0;
		byte[] held = new byte[0];
		int piece = 0;
		do {
			int n = Math.min(pieces[piece++ % pieces.length], length - offset);
			try (SegmentedUploadWriter writer = SegmentedUploadWriter.resume(file, this.key, this.header,
					ASSOCIATED_DATA, length, offset, held)) {
				writer.write(plaintext, offset, n);
				offset += n;
				assertThat(writer.offset()).isEqualTo(offset);
				assertThat(file.size()).as("whole sealed segments only, every one at once")
					.isEqualTo(writer.complete() ? this.header.ciphertextSize(length)
							: SegmentedStreamFormat.segmentOffset(offset / SEGMENT, SEGMENT));
				held = writer.complete() ? new byte[0] : writer.held();
				assertThat(held).hasSize(writer.complete() ? 0 : offset % SEGMENT);
				if (offset == length) {
					assertThat(writer.complete()).isTrue();
				}
			}
		}
		while (offset < length);

		assertThat(file.toByteArray()).isEqualTo(encrypt(this.key, this.header, plaintext));
		assertThat(decrypt(this.key, file.toByteArray())).isEqualTo(plaintext);
	}

	@Test
	void refusesBytesBeyondTheLength() throws IOException {
		ByteArrayChannel file = new ByteArrayChannel(this.header.toBytes());
		file.position(file.size());
		try (SegmentedUploadWriter writer = SegmentedUploadWriter.resume(file, this.key, this.header, ASSOCIATED_DATA,
				10, 0, new byte[0])) {
			assertThatIllegalArgumentException().isThrownBy(() -> writer.write(new byte[11], 0, 11));
			assertThat(writer.offset()).isZero();
		}
	}

	@Test
	void refusesHeldBytesThatDoNotMatchTheOffset() {
		ByteArrayChannel file = new ByteArrayChannel();
		assertThatIllegalArgumentException().isThrownBy(() -> SegmentedUploadWriter.resume(file, this.key,
				this.header, ASSOCIATED_DATA, 1000, SEGMENT + 3, new byte[2]));
	}

	@Test
	void sealedTailOpensOnlyForItsUploadAndOffset() throws IOException {
		byte[] tail = "SMP-PLAINTEXT-MARKER partial segment".getBytes();
		byte[] sealed = SealedTail.seal(this.key, tail, UPLOAD, 100);
		assertThat(SealedTail.open(this.key, sealed, UPLOAD, 100)).isEqualTo(tail);
		assertThat(new String(sealed, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("SMP-PLAINTEXT");
		assertThat(SealedTail.seal(this.key, tail, UPLOAD, 100)).as("a fresh nonce each time").isNotEqualTo(sealed);
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> SealedTail.open(this.key, sealed, UPLOAD, 101));
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> SealedTail.open(this.key, sealed, UUID.randomUUID(), 100));
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> SealedTail.open(this.key, Ciphertexts.flipBit(sealed, 20), UPLOAD, 100));
		try (DataKey other = DataKey.generate()) {
			assertThatExceptionOfType(CiphertextAuthenticationException.class)
				.isThrownBy(() -> SealedTail.open(other, sealed, UPLOAD, 100));
		}
	}

	@Test
	void digestsThePrefixOfAnUnfinishedUpload(@TempDir Path temp) throws Exception {
		byte[] plaintext = plaintext(4 * SEGMENT + 10);
		Path path = temp.resolve("upload.part");
		Files.write(path, this.header.toBytes());
		try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
			file.position(file.size());
			try (SegmentedUploadWriter writer = SegmentedUploadWriter.resume(file, this.key, this.header,
					ASSOCIATED_DATA, 10 * SEGMENT, 0, new byte[0])) {
				writer.write(plaintext, 0, plaintext.length);
			}
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			SegmentedPrefixReader.digest(file, this.key, this.header, ASSOCIATED_DATA, 10 * SEGMENT, 4, digest);
			assertThat(digest.digest()).isEqualTo(
					MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(plaintext, 4 * SEGMENT)));

			// one bit of the third segment flipped (writing a fixed byte would change nothing one time in 256)
			long damaged = SegmentedStreamFormat.segmentOffset(2, SEGMENT) + 5;
			java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
			file.read(one, damaged);
			file.write(java.nio.ByteBuffer.wrap(new byte[] { (byte) (one.get(0) ^ 1) }), damaged);
			assertThatExceptionOfType(CiphertextAuthenticationException.class).isThrownBy(() -> SegmentedPrefixReader
				.digest(file, this.key, this.header, ASSOCIATED_DATA, 10 * SEGMENT, 4,
						MessageDigest.getInstance("SHA-256")));
		}
	}

}
