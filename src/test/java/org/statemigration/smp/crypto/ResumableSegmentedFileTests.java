package org.statemigration.smp.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.statemigration.smp.crypto.Ciphertexts.STORE_ID;
import static org.statemigration.smp.crypto.Ciphertexts.decrypt;
import static org.statemigration.smp.crypto.Ciphertexts.encrypt;
import static org.statemigration.smp.crypto.Ciphertexts.plaintext;

/**
 * The encrypted file of a resumable upload through its whole life: written in pieces of any size over as many
 * openings, each from the sealed segments, the sealed tail and the running digest (kept or rebuilt) the one before
 * left, it is the very file a single pass writes, with the plaintext's size and SHA-256; it rolls forward over
 * whole segments a dead request left and cuts a torn one; and it refuses what does not belong to it.
 */
class ResumableSegmentedFileTests {

	private static final int SEGMENT = 64;

	private final DataKey key = DataKey.generate();

	private final SegmentedStreamHeader header = SegmentedStreamHeader.create(SEGMENT, 1);

	@AfterEach
	void closeKey() {
		this.key.close();
	}

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, SEGMENT - 1, SEGMENT, SEGMENT + 1, 5 * SEGMENT, 5 * SEGMENT + 17 })
	void writtenInPiecesOverManyOpeningsIsTheFileOfOnePassWithTheSizeAndDigestOfThePlaintext(int length)
			throws IOException {
		byte[] plaintext = plaintext(length);
		ResumableSegmentedFile file = new ResumableSegmentedFile(STORE_ID, 1, length);
		ByteArrayChannel channel = created(file);
		int[] pieces = { 1, 7, SEGMENT - 1, SEGMENT, 3, 2 * SEGMENT + 5, 100 };
		long offset = 0;
		Optional<byte[]> tail = Optional.empty();
		MessageDigest kept = null;
		ResumableSegmentedFile.Completed completed = null;
		for (int piece = 0; completed == null; piece++) {
			// every other opening rebuilds the running digest from the file, as after a restart
			MessageDigest digest = (piece % 2 == 0) ? kept : null;
			try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, offset, tail, digest)) {
				int n = (int) Math.min(pieces[piece % pieces.length], length - offset);
				writer.append(plaintext, (int) offset, n);
				assertThat(writer.offset()).isEqualTo(offset + n);
				if (writer.complete()) {
					assertThat(channel.size()).isEqualTo(this.header.ciphertextSize(length));
					completed = writer.completed();
				}
				else {
					assertThat(channel.size()).as("whole sealed segments only")
						.isEqualTo(SegmentedStreamFormat.segmentOffset(writer.offset() / SEGMENT, SEGMENT));
					Optional<byte[]> sealed = writer.sealTail();
					assertThat(sealed.isPresent()).as("a tail when the offset lies inside a segment")
						.isEqualTo(writer.offset() % SEGMENT != 0 && n > 0);
					tail = sealed.isPresent() ? sealed : tail;
					offset = writer.offset();
					kept = writer.runningDigest();
				}
			}
		}

		assertThat(channel.toByteArray()).isEqualTo(encrypt(this.key, this.header, plaintext));
		assertThat(decrypt(this.key, channel.toByteArray())).isEqualTo(plaintext);
		assertThat(completed.size()).isEqualTo(length);
		assertThat(completed.sha256()).isEqualTo(sha256(plaintext, length));
	}

	@Test
	void theTailHoldsTheBytesAfterTheLastWholeSegmentOnlySealedAndOnlyForItsOffset() throws IOException {
		byte[] plaintext = "SMP-PLAINTEXT-MARKER ".repeat(10).getBytes(StandardCharsets.US_ASCII);
		ResumableSegmentedFile file = new ResumableSegmentedFile(STORE_ID, 1, plaintext.length);
		ByteArrayChannel channel = created(file);
		byte[] tail;
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 0, Optional.empty(), null)) {
			writer.append(plaintext, 0, SEGMENT + 30);
			tail = writer.sealTail().orElseThrow();
		}
		assertThat(new String(tail, StandardCharsets.ISO_8859_1)).doesNotContain("SMP-PLAINTEXT");

		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, SEGMENT + 30, Optional.of(tail),
				null)) {
			assertThat(writer.sealTail()).as("nothing new to keep").isEmpty();
			writer.append(plaintext, SEGMENT + 30, 10);
			assertThat(writer.sealTail()).isPresent();
		}
		assertThatExceptionOfType(CiphertextAuthenticationException.class).as("the tail of another offset")
			.isThrownBy(() -> file.open(channel, this.key, SEGMENT + 29, Optional.of(tail), null));
		assertThatExceptionOfType(CiphertextAuthenticationException.class).as("no tail")
			.isThrownBy(() -> file.open(channel, this.key, SEGMENT + 30, Optional.empty(), null));
		assertThatExceptionOfType(CiphertextAuthenticationException.class).as("the tail of another upload")
			.isThrownBy(() -> new ResumableSegmentedFile(java.util.UUID.randomUUID(), 1, plaintext.length)
				.open(channel, this.key, SEGMENT + 30, Optional.of(tail), null));
	}

	@Test
	void refusesBytesBeyondTheLengthAndAnOffsetTheFileDoesNotHold() throws IOException {
		ResumableSegmentedFile file = new ResumableSegmentedFile(STORE_ID, 1, 3 * SEGMENT);
		ByteArrayChannel channel = created(file);
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 0, Optional.empty(), null)) {
			assertThatIllegalArgumentException().isThrownBy(() -> writer.append(new byte[3 * SEGMENT + 1], 0,
					3 * SEGMENT + 1));
			assertThat(writer.offset()).isZero();
			writer.append(plaintext(SEGMENT), 0, SEGMENT);
		}
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.isThrownBy(() -> file.open(channel, this.key, 2 * SEGMENT, Optional.empty(), null));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> file.open(channel, this.key, 3 * SEGMENT + 1, Optional.empty(), null));
	}

	@Test
	void rollsForwardOverWholeSegmentsADeadRequestLeftAndCutsATornOne() throws IOException {
		int length = 5 * SEGMENT + 17;
		byte[] plaintext = plaintext(length);
		ResumableSegmentedFile file = new ResumableSegmentedFile(STORE_ID, 1, length);
		ByteArrayChannel channel = created(file);
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 0, Optional.empty(), null)) {
			writer.append(plaintext, 0, 4 * SEGMENT + 3);
		}
		assertThat(file.holdsMoreThan(channel, SEGMENT + 10)).isTrue();
		channel.truncate(SegmentedStreamFormat.segmentOffset(3, SEGMENT) + 30);

		assertThat(file.rollForward(channel, this.key, SEGMENT + 10)).isEqualTo(OptionalLong.of(3 * SEGMENT));
		assertThat(channel.size()).as("the torn segment is cut")
			.isEqualTo(SegmentedStreamFormat.segmentOffset(3, SEGMENT));
		assertThat(file.holdsMoreThan(channel, 3 * SEGMENT)).isFalse();
		assertThat(file.rollForward(channel, this.key, 3 * SEGMENT)).as("nothing beyond").isEmpty();
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 3 * SEGMENT, Optional.empty(),
				null)) {
			assertThat(writer.runningDigest().digest()).isEqualTo(sha256(plaintext, 3 * SEGMENT));
		}
	}

	@Test
	void rolledForwardOverTheLastSegmentTheFileIsCompleteAtItsLength() throws IOException {
		int length = 2 * SEGMENT + 5;
		byte[] plaintext = plaintext(length);
		ResumableSegmentedFile file = new ResumableSegmentedFile(STORE_ID, 1, length);
		ByteArrayChannel channel = created(file);
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 0, Optional.empty(), null)) {
			writer.append(plaintext, 0, length);
		}
		assertThat(file.rollForward(channel, this.key, SEGMENT)).isEqualTo(OptionalLong.of(length));
		assertThat(file.holdsMoreThan(channel, length)).as("still to be completed").isTrue();
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, length, Optional.empty(), null)) {
			assertThat(writer.complete()).isTrue();
			writer.append(new byte[0], 0, 0);
			assertThatIllegalArgumentException().isThrownBy(() -> writer.append(new byte[1], 0, 1));
			assertThat(writer.completed().sha256()).isEqualTo(sha256(plaintext, length));
		}
		assertThat(channel.toByteArray()).isEqualTo(encrypt(this.key, this.header, plaintext));
	}

	@Test
	void nothingAuthenticatesBeyondTheOffsetUnderAnotherKey() throws IOException {
		ResumableSegmentedFile file = new ResumableSegmentedFile(STORE_ID, 1, 4 * SEGMENT);
		ByteArrayChannel channel = created(file);
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 0, Optional.empty(), null)) {
			writer.append(plaintext(3 * SEGMENT), 0, 3 * SEGMENT);
		}
		try (DataKey other = DataKey.generate()) {
			assertThat(file.rollForward(channel, other, SEGMENT)).isEqualTo(OptionalLong.of(SEGMENT));
		}
		assertThat(channel.size()).isEqualTo(SegmentedStreamFormat.segmentOffset(1, SEGMENT));
	}

	@Test
	void segmentsBeforeWhereTheFileCanBeReadBackAreKeptUnreadAndTheDigestIsThenUnknown() throws IOException {
		int length = 6 * SEGMENT + 9;
		byte[] plaintext = plaintext(length);
		ResumableSegmentedFile file = new ResumableSegmentedFile(STORE_ID, 1, length);
		ByteArrayChannel channel = created(file);
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 0, Optional.empty(), null)) {
			writer.append(plaintext, 0, 5 * SEGMENT + 3);
		}
		long readableFrom = SegmentedStreamFormat.segmentOffset(3, SEGMENT);
		// a changed byte in segment 1, which lies where the file cannot be read back: never looked at
		flip(channel, SegmentedStreamFormat.segmentOffset(1, SEGMENT) + 2);
		// and one in segment 4, which can be read back: cut with all after it
		flip(channel, SegmentedStreamFormat.segmentOffset(4, SEGMENT) + 2);

		assertThat(file.rollForward(channel, this.key, SEGMENT + 10, readableFrom)).hasValue(4 * SEGMENT);
		assertThat(channel.size()).isEqualTo(SegmentedStreamFormat.segmentOffset(4, SEGMENT));
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 4 * SEGMENT, Optional.empty(), null,
				readableFrom)) {
			assertThat(writer.runningDigest()).as("the prefix cannot be read to rebuild it").isNull();
			writer.append(plaintext, 4 * SEGMENT, length - 4 * SEGMENT);
			assertThat(writer.completed().sha256()).isNull();
		}
		assertThatExceptionOfType(CiphertextAuthenticationException.class)
			.as("read back whole, the changed segment fails")
			.isThrownBy(() -> file.verify(channel, this.key));
	}

	@Test
	void aCommittedBlobIsVerifiedWholeAndRefusedCutOrChanged() throws IOException {
		int length = 3 * SEGMENT + 1;
		byte[] plaintext = plaintext(length);
		ResumableSegmentedFile file = new ResumableSegmentedFile(STORE_ID, 1, length);
		ByteArrayChannel channel = created(file);
		try (ResumableSegmentedFile.Writer writer = file.open(channel, this.key, 0, Optional.empty(), null)) {
			writer.append(plaintext, 0, length);
		}
		ResumableSegmentedFile.Completed completed = file.verify(channel, this.key);
		assertThat(completed.size()).isEqualTo(length);
		assertThat(completed.sha256()).isEqualTo(sha256(plaintext, length));

		channel.truncate(SegmentedStreamFormat.segmentOffset(3, SEGMENT));
		assertThatExceptionOfType(CiphertextAuthenticationException.class).as("without its last segment")
			.isThrownBy(() -> file.verify(channel, this.key));
	}

	private static void flip(ByteArrayChannel channel, long position) throws IOException {
		java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
		channel.position(position);
		channel.read(one);
		one.put(0, (byte) (one.get(0) ^ 1)).rewind();
		channel.position(position);
		channel.write(one);
	}

	private ByteArrayChannel created(ResumableSegmentedFile file) throws IOException {
		ByteArrayChannel channel = new ByteArrayChannel();
		file.create(channel, this.header);
		return channel;
	}

	private static byte[] sha256(byte[] plaintext, int length) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(Arrays.copyOf(plaintext, length));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
