package org.statemigration.smp.crypto;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FileChannelSlicesTests {

	private static final int SEGMENT = 1024 * 1024 + 16;

	@TempDir
	Path directory;

	@Test
	void aWriteMovesEverythingAndLeavesTheBufferAsAWriteWould() throws IOException {
		byte[] bytes = randomBytes(SEGMENT);
		Path file = this.directory.resolve("blob");
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			ByteBuffer source = ByteBuffer.wrap(bytes, 3, SEGMENT - 3);
			assertThat(FileChannelSlices.write(channel, source)).isEqualTo(SEGMENT - 3);
			assertThat(source.position()).isEqualTo(SEGMENT);
			assertThat(source.limit()).isEqualTo(SEGMENT);
			assertThat(channel.position()).isEqualTo(SEGMENT - 3);
		}
		byte[] expected = new byte[SEGMENT - 3];
		System.arraycopy(bytes, 3, expected, 0, expected.length);
		assertThat(Files.readAllBytes(file)).isEqualTo(expected);
	}

	@Test
	void aReadMovesOneSliceAtMostAndLeavesTheLimitAlone() throws IOException {
		byte[] bytes = randomBytes(SEGMENT);
		Path file = Files.write(this.directory.resolve("blob"), bytes);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			ByteBuffer destination = ByteBuffer.allocate(SEGMENT);
			assertThat(FileChannelSlices.read(channel, destination)).isEqualTo(FileChannelSlices.SLICE);
			assertThat(destination.limit()).isEqualTo(SEGMENT);
			while (FileChannelSlices.read(channel, destination) > 0) {
				assertThat(destination.limit()).isEqualTo(SEGMENT);
			}
			assertThat(destination.array()).isEqualTo(bytes);
			assertThat(FileChannelSlices.read(channel, ByteBuffer.allocate(1))).isEqualTo(-1);

			ByteBuffer tail = ByteBuffer.allocate(100);
			assertThat(FileChannelSlices.read(channel, tail, SEGMENT - 40)).isEqualTo(40);
			assertThat(channel.position()).isEqualTo(SEGMENT);
			assertThat(FileChannelSlices.read(channel, tail, SEGMENT)).isEqualTo(-1);
		}
	}

	/**
	 * The reason for the slices: a thread that wrote a megabyte from the heap in one call keeps a megabyte of direct
	 * memory for as long as it lives; in slices, it keeps one slice.
	 */
	@Test
	void aThreadKeepsOneSliceOfDirectMemoryNotOneSegment() throws Exception {
		byte[] bytes = randomBytes(SEGMENT);
		long whole = directMemoryKeptByAThreadThat((channel) -> {
			ByteBuffer source = ByteBuffer.wrap(bytes);
			while (source.hasRemaining()) {
				channel.write(source);
			}
		});
		assumeTrue(whole >= SEGMENT, "this JDK keeps no direct buffer per thread for heap writes");

		assertThat(directMemoryKeptByAThreadThat((channel) -> FileChannelSlices.write(channel, ByteBuffer.wrap(bytes))))
			.isLessThanOrEqualTo(FileChannelSlices.SLICE);
		assertThat(directMemoryKeptByAThreadThat((channel) -> {
			channel.position(0);
			ByteBuffer destination = ByteBuffer.allocate(SEGMENT);
			while (destination.hasRemaining()
					&& FileChannelSlices.read(channel, destination, destination.position()) > 0) {
				// reads the whole segment back
			}
		})).isLessThanOrEqualTo(FileChannelSlices.SLICE);
	}

	/** The direct memory in use while a new thread that ran the action is still alive, less what was in use before. */
	private long directMemoryKeptByAThreadThat(ChannelAction action) throws Exception {
		Path file = this.directory.resolve("kept");
		BufferPoolMXBean direct = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
			.stream()
			.filter((pool) -> pool.getName().equals("direct"))
			.findFirst()
			.orElseThrow();
		ExecutorService thread = Executors.newSingleThreadExecutor();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
				StandardOpenOption.WRITE)) {
			long before = direct.getMemoryUsed();
			Future<?> done = thread.submit(() -> {
				action.run(channel);
				return null;
			});
			done.get();
			// the thread is idle and alive: what it keeps is still in use
			return direct.getMemoryUsed() - before;
		}
		finally {
			thread.shutdownNow();
		}
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		new Random(length).nextBytes(bytes);
		return bytes;
	}

	@FunctionalInterface
	private interface ChannelAction {

		void run(FileChannel channel) throws IOException;

	}

}
