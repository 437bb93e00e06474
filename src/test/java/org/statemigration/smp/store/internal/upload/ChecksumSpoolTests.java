package org.statemigration.smp.store.internal.upload;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.store.blob.BlobKey;
import org.statemigration.smp.store.blob.FolderBlobStore;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A chunk held until its checksum is verified: on disk only encrypted, given back whole when it matches, and
 * leaving nothing when it does not.
 */
class ChecksumSpoolTests {

	private static final byte[] MARKER = "SMP-SPOOL-PLAINTEXT-MARKER".getBytes(StandardCharsets.US_ASCII);

	@TempDir
	Path temp;

	private final BlobKey upload = new BlobKey(UUID.randomUUID(), UUID.randomUUID());

	@Test
	void holdsAMatchingChunkEncryptedAndGivesItBackWhole() throws Exception {
		byte[] chunk = markers(3 * 1024 * 1024 + 77);
		Path file = spool();
		try (ChecksumSpool spool = ChecksumSpool.receive(scratch(), new ByteArrayInputStream(chunk), chunk.length,
				"SHA-1", MessageDigest.getInstance("SHA-1").digest(chunk), () -> {
				})) {
			assertThat(spool).isNotNull();
			byte[] onDisk = Files.readAllBytes(file);
			assertThat(indexOf(onDisk, MARKER)).as("plaintext on disk").isEqualTo(-1);
			assertThat(spool.content().readAllBytes()).isEqualTo(chunk);
		}
		assertThat(file).doesNotExist();
	}

	@Test
	void keepsNothingOfAChunkThatFailsItsChecksum() throws Exception {
		byte[] chunk = markers(100_000);
		Path file = spool();
		ChecksumSpool spool = ChecksumSpool.receive(scratch(), new ByteArrayInputStream(chunk), chunk.length, "SHA-256",
				MessageDigest.getInstance("SHA-256").digest(MARKER), () -> {
		});
		assertThat(spool).isNull();
		assertThat(file).doesNotExist();
	}

	@Test
	void refusesAChunkLongerThanTheUploadStillExpects() {
		byte[] chunk = markers(1000);
		Path file = spool();
		assertThatExceptionOfType(ChecksumSpool.ChunkTooLongException.class).isThrownBy(() -> ChecksumSpool
			.receive(scratch(), new ByteArrayInputStream(chunk), 999, "SHA-256", new byte[32], () -> {
			}));
		assertThat(file).doesNotExist();
	}

	/** The upload's scratch in the blob store of its folder: gone once closed. */
	private SeekableByteChannel scratch() throws IOException {
		return new FolderBlobStore(this.temp, 0, -1, 0, new SimpleAsyncTaskExecutor()).scratch(this.upload);
	}

	private Path spool() {
		return this.temp.resolve(this.upload.associationId().toString()).resolve(this.upload.storeId() + ".spool");
	}

	private static byte[] markers(int length) {
		byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++) {
			bytes[i] = MARKER[i % MARKER.length];
		}
		return bytes;
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
