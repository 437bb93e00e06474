package org.statemigration.smp.store.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import org.springframework.core.task.SimpleAsyncTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/** The read-ahead of a restore: every byte in order, whether read or transferred, and failures passed on. */
class ReadAheadInputStreamTests {

	private final SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("read-ahead-test-");

	@Test
	void transfersEveryByteInOrderStraightFromItsBuffers() throws IOException {
		byte[] data = random(3 * 256 * 1024 + 12345);
		List<Integer> writes = new ArrayList<>();
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		OutputStream out = new OutputStream() {

			@Override
			public void write(int b) {
				throw new AssertionError("one byte at a time");
			}

			@Override
			public void write(byte[] bytes, int offset, int length) {
				writes.add(length);
				received.write(bytes, offset, length);
			}

		};
		try (ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), this.executor)) {
			assertThat(in.transferTo(out)).isEqualTo(data.length);
			assertThat(in.read()).isEqualTo(-1);
		}
		assertThat(received.toByteArray()).isEqualTo(data);
		// whole read-ahead buffers, not a caller's smaller ones
		assertThat(writes).containsExactly(256 * 1024, 256 * 1024, 256 * 1024, 12345);
	}

	@Test
	void goesOnFromWhereReadsLeftOff() throws IOException {
		byte[] data = random(600_000);
		try (ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), this.executor)) {
			byte[] start = in.readNBytes(1000);
			ByteArrayOutputStream rest = new ByteArrayOutputStream();
			assertThat(in.transferTo(rest)).isEqualTo(data.length - 1000);
			assertThat(start).isEqualTo(Arrays.copyOf(data, 1000));
			assertThat(rest.toByteArray()).isEqualTo(Arrays.copyOfRange(data, 1000, data.length));
		}
	}

	@Test
	void aFailureOfTheSourceEndsTheTransfer() throws IOException {
		byte[] data = random(256 * 1024);
		InputStream failing = new InputStream() {

			private final InputStream first = new ByteArrayInputStream(data);

			@Override
			public int read() {
				throw new AssertionError("one byte at a time");
			}

			@Override
			public int read(byte[] bytes, int offset, int length) throws IOException {
				int n = this.first.read(bytes, offset, length);
				if (n == -1) {
					throw new IOException("Segment 1 failed authentication");
				}
				return n;
			}

		};
		ByteArrayOutputStream received = new ByteArrayOutputStream();
		try (ReadAheadInputStream in = new ReadAheadInputStream(failing, this.executor)) {
			assertThatIOException().isThrownBy(() -> in.transferTo(received))
				.withStackTraceContaining("Segment 1 failed authentication");
		}
		// what came before, as far as it got, and nothing else
		byte[] got = received.toByteArray();
		assertThat(got.length).isLessThanOrEqualTo(data.length);
		assertThat(got).isEqualTo(Arrays.copyOf(data, got.length));
	}

	private static byte[] random(int size) {
		byte[] bytes = new byte[size];
		new Random(size).nextBytes(bytes);
		return bytes;
	}

}
