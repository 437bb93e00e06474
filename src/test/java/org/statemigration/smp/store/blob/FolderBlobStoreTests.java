package org.statemigration.smp.store.blob;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.statemigration.smp.store.blob.StoredObject.Kind;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.withinPercentage;

/**
 * A storage folder as a blob store, on the layout that data directories already have: a blob is
 * {@code <id>.part} until committed and {@code <id>.smp} after, small objects are {@code <id>-<name>} written
 * whole, the scratch {@code <id>.spool} lasts as long as its channel, and only such files are listed or deleted.
 */
class FolderBlobStoreTests {

	private static final byte[] CIPHERTEXT = "ciphertext".getBytes(StandardCharsets.US_ASCII);

	@TempDir
	Path folder;

	private FolderBlobStore store;

	private final BlobKey key = new BlobKey(UUID.randomUUID(), UUID.randomUUID());

	private Path directory;

	@BeforeEach
	void prepare() {
		this.store = new FolderBlobStore(this.folder, 1024, -1, 0, new SimpleAsyncTaskExecutor());
		this.directory = this.folder.resolve(this.key.associationId().toString());
	}

	@Test
	void aNewBlobIsThePartFileUntilCommittedAndTheFinishedFileAfter() throws IOException {
		try (BlobWriter blob = this.store.create(this.key)) {
			write(blob, CIPHERTEXT);
			assertThat(part()).hasBinaryContent(CIPHERTEXT);
			assertThat(finished()).doesNotExist();
			blob.commit();
		}
		assertThat(part()).doesNotExist();
		assertThat(finished()).hasBinaryContent(CIPHERTEXT);
		assertThat(read()).isEqualTo(CIPHERTEXT);
	}

	@Test
	void anAbortedBlobLeavesNothing() throws IOException {
		try (BlobWriter blob = this.store.create(this.key)) {
			write(blob, CIPHERTEXT);
			blob.abort();
		}
		assertThat(part()).doesNotExist();
		assertThat(finished()).doesNotExist();
		assertThatExceptionOfType(FileAlreadyExistsException.class).as("a key is written once")
			.isThrownBy(() -> {
				try (BlobWriter first = this.store.create(this.key); BlobWriter second = this.store.create(this.key)) {
					second.abort();
				}
			});
	}

	@Test
	void anUnfinishedBlobIsResumedWhereItStandsAndReadAsItGrows() throws IOException {
		try (BlobWriter blob = this.store.create(this.key)) {
			write(blob, CIPHERTEXT);
			blob.force();
		}
		try (BlobWriter blob = this.store.resume(this.key)) {
			assertThat(blob.size()).isEqualTo(CIPHERTEXT.length);
			blob.truncate(3);
			blob.position(3);
			write(blob, CIPHERTEXT);
			blob.force();
		}
		byte[] grown = concat(Arrays.copyOf(CIPHERTEXT, 3), CIPHERTEXT);
		assertThat(read()).as("the unfinished blob, as it stands").isEqualTo(grown);
		try (BlobWriter blob = this.store.resume(this.key)) {
			blob.commit();
		}
		assertThat(finished()).hasBinaryContent(grown);
	}

	@Test
	void aBlobCommittedButNeverRecordedIsTakenBackToGoOn() throws IOException {
		try (BlobWriter blob = this.store.create(this.key)) {
			write(blob, CIPHERTEXT);
			blob.commit();
		}
		try (BlobWriter blob = this.store.resume(this.key)) {
			assertThat(part()).hasBinaryContent(CIPHERTEXT);
			assertThat(finished()).doesNotExist();
		}
	}

	@Test
	void readingPrefersTheCommittedBlobAndChangesNothing() throws IOException {
		Files.createDirectories(this.directory);
		Files.write(part(), "stale".getBytes(StandardCharsets.US_ASCII));
		Files.write(finished(), CIPHERTEXT);
		assertThat(read()).isEqualTo(CIPHERTEXT);
		assertThat(part()).exists();
		assertThatExceptionOfType(NoSuchFileException.class)
			.isThrownBy(() -> this.store.read(new BlobKey(this.key.associationId(), UUID.randomUUID())));
	}

	@Test
	void aSmallObjectIsWrittenWholeUnderItsNameAndReadBackWithinItsBound() throws IOException {
		this.store.putSmall(this.key, "1048577.tail", CIPHERTEXT);
		this.store.putSmall(this.key, "1048577.tail", "replaced".getBytes(StandardCharsets.US_ASCII));
		assertThat(this.directory.resolve(this.key.storeId() + "-1048577.tail")).hasContent("replaced");
		assertThat(this.directory.resolve(this.key.storeId() + "-1048577.tail.tmp")).doesNotExist();
		assertThat(this.store.getSmall(this.key, "1048577.tail", 100)).hasValue("replaced".getBytes());
		assertThat(this.store.getSmall(this.key, "7.tail", 100)).isEmpty();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> this.store.getSmall(this.key, "1048577.tail", 7));
	}

	@Test
	void theScratchIsGoneOnceClosed() throws IOException {
		try (BlobWriter blob = this.store.create(this.key)) {
			blob.force();
		}
		Path spool = this.directory.resolve(this.key.storeId() + ".spool");
		try (SeekableByteChannel scratch = this.store.scratch(this.key)) {
			scratch.write(ByteBuffer.wrap(CIPHERTEXT));
			assertThat(spool).exists();
			scratch.position(0);
			ByteBuffer back = ByteBuffer.allocate(CIPHERTEXT.length);
			scratch.read(back);
			assertThat(back.array()).isEqualTo(CIPHERTEXT);
		}
		assertThat(spool).doesNotExist();
	}

	@Test
	void listsWhatIsItsOwnWithItsKindsAndDeletesItDirectoryAndAll() throws IOException {
		BlobKey other = new BlobKey(this.key.associationId(), UUID.randomUUID());
		try (BlobWriter blob = this.store.create(this.key)) {
			write(blob, CIPHERTEXT);
			blob.commit();
		}
		try (BlobWriter blob = this.store.create(other)) {
			write(blob, CIPHERTEXT);
		}
		this.store.putSmall(other, "17.tail", CIPHERTEXT);
		Files.write(this.directory.resolve(other.storeId() + "-18.tail.tmp"), CIPHERTEXT);
		Files.write(this.directory.resolve(other.storeId() + ".spool"), CIPHERTEXT);
		Path foreign = Files.write(this.directory.resolve("notes.txt"), CIPHERTEXT);
		Path outside = Files.write(this.folder.resolve(UUID.randomUUID() + ".smp"), CIPHERTEXT);

		assertThat(this.store.list()).extracting(StoredObject::key, StoredObject::kind, StoredObject::name)
			.containsExactlyInAnyOrder(tuple(this.key, Kind.BLOB, null),
					tuple(other, Kind.UNFINISHED_BLOB, null),
					tuple(other, Kind.SMALL, "17.tail"),
					tuple(other, Kind.SMALL, "18.tail.tmp"),
					tuple(other, Kind.SCRATCH, null));
		List<StoredObject> ours = this.store.list(this.key);
		assertThat(ours).singleElement().satisfies((object) -> {
			assertThat(object.committed()).isTrue();
			assertThat(object.size()).isEqualTo(CIPHERTEXT.length);
			assertThat(object.location()).isEqualTo(finished().toString());
		});

		this.store.delete(ours.get(0));
		this.store.delete(other);
		assertThat(this.store.list()).isEmpty();
		assertThat(foreign).exists();
		assertThat(outside).exists();
		Files.delete(foreign);
		this.store.delete(this.key);
		assertThat(this.directory).as("gone with the last of its objects").doesNotExist();
	}

	@Test
	void theRoomIsTheUsableSpaceAndWhatMustStayFree() throws IOException {
		long usable = Files.getFileStore(this.folder).getUsableSpace();
		Room room = this.store.room();
		assertThat(room.freeBytes()).isCloseTo(usable, withinPercentage(5));
		assertThat(room.minimumBytes()).isEqualTo(1024);
		assertThat(room.keptFreeBytes()).isEqualTo(1024);
		assertThat(room.available()).isEqualTo(room.freeBytes() - 1024);

		Room reserved = new FolderBlobStore(this.folder, 1024, -1, 4096, new SimpleAsyncTaskExecutor()).room();
		assertThat(reserved.minimumBytes()).isEqualTo(1024);
		assertThat(reserved.keptFreeBytes()).as("the reserve when it is more").isEqualTo(4096);
		Room percent = new FolderBlobStore(this.folder, -1, 10, 0, new SimpleAsyncTaskExecutor()).room();
		assertThat(percent.minimumBytes()).isEqualTo(Files.getFileStore(this.folder).getTotalSpace() / 100 * 10);
	}

	@Test
	void aLargeBlobIsFlushedInTheBackgroundAsItGrowsAndCommittedWhole() throws IOException {
		byte[] megabyte = new byte[1024 * 1024];
		Arrays.fill(megabyte, (byte) 7);
		try (BlobWriter blob = this.store.create(this.key)) {
			for (int i = 0; i < 40; i++) {
				write(blob, megabyte);
			}
			blob.commit();
		}
		assertThat(Files.size(finished())).isEqualTo(40L * megabyte.length);
	}

	private Path part() {
		return this.directory.resolve(this.key.storeId() + ".part");
	}

	private Path finished() {
		return this.directory.resolve(this.key.storeId() + ".smp");
	}

	private byte[] read() throws IOException {
		try (SeekableByteChannel channel = this.store.read(this.key)) {
			ByteBuffer bytes = ByteBuffer.allocate((int) channel.size());
			while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
				// until full
			}
			return bytes.array();
		}
	}

	private static void write(BlobWriter blob, byte[] bytes) throws IOException {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		while (buffer.hasRemaining()) {
			blob.write(buffer);
		}
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

}
