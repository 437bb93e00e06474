package org.statemigration.smp.store.blob.s3;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.store.blob.BlobStoreUnavailableException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The part buffers' budget and their reuse: a buffer given back is taken again by the next part of its size, the
 * budget counts only buffers in use, and the buffers kept idle stay within their bound.
 */
class PartBuffersTests {

	private static final int PART = 8 * 1024 * 1024;

	@Test
	void aBufferGivenBackIsTakenAgainByThePartOfItsSize() throws Exception {
		PartBuffers buffers = new PartBuffers(4L * PART, Duration.ofMillis(10));
		byte[] first = buffers.take(PART);
		buffers.give(first);
		assertThat(buffers.take(PART)).isSameAs(first);
		assertThat(buffers.take(PART + 20)).isNotSameAs(first).hasSize(PART + 20);
	}

	@Test
	void theBudgetCountsTheBuffersInUseOnly() throws Exception {
		PartBuffers buffers = new PartBuffers(2L * PART, Duration.ofMillis(10));
		byte[] first = buffers.take(PART);
		byte[] second = buffers.take(PART);
		assertThat(buffers.freeBytes()).isZero();
		assertThatExceptionOfType(BlobStoreUnavailableException.class).isThrownBy(() -> buffers.take(PART))
			.withMessageContaining("smp.storage.s3.buffer-memory");
		buffers.give(first);
		buffers.give(second);
		assertThat(buffers.freeBytes()).isEqualTo(2L * PART);
		assertThat(buffers.take(PART)).isIn(first, second);
	}

	@Test
	void idleBuffersStayWithinTheirBound() throws Exception {
		int parts = (int) (PartBuffers.IDLE_BYTES / PART) + 3;
		PartBuffers buffers = new PartBuffers((long) parts * PART, Duration.ofMillis(10));
		byte[][] taken = new byte[parts][];
		for (int i = 0; i < parts; i++) {
			taken[i] = buffers.take(PART);
		}
		for (byte[] buffer : taken) {
			buffers.give(buffer);
		}
		int reused = 0;
		for (int i = 0; i < parts; i++) {
			byte[] again = buffers.take(PART);
			for (byte[] buffer : taken) {
				if (again == buffer) {
					reused++;
				}
			}
		}
		assertThat(reused).isEqualTo((int) (PartBuffers.IDLE_BYTES / PART));
	}

}
