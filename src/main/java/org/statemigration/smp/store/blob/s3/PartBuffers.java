package org.statemigration.smp.store.blob.s3;

import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.statemigration.smp.store.blob.BlobStoreUnavailableException;

/**
 * The memory of the part buffers of every S3 upload of the server together: an upload takes a buffer for the part
 * it fills and gives it back once the part is sent, so it holds one buffer, or two while one part is sent and the
 * next filled. Counted in KiB. An upload that finds no memory free waits a bounded time, then fails with a
 * message saying which setting bounds it, rather than holding its request forever.
 * <p>
 * Buffers given back are kept for the next part, up to {@link #IDLE_BYTES} of them: a part is several MiB, and
 * allocating one per part would leave the collector to clear gigabytes per capture. They hold ciphertext only, and
 * are outside the budget: the heap holds at most the budget and those.
 */
public final class PartBuffers {

	private static final int KIB = 1024;

	/** The most memory kept in buffers no upload holds. */
	static final long IDLE_BYTES = 64L * 1024 * 1024;

	private final Semaphore kibibytes;

	private final int total;

	private final Duration wait;

	/** Buffers given back, by their size. */
	private final Map<Integer, Deque<byte[]>> idle = new ConcurrentHashMap<>();

	private final AtomicLong idleBytes = new AtomicLong();

	/**
	 * @param memoryBytes the memory of all buffers together
	 * @param wait how long an upload waits for a buffer
	 */
	public PartBuffers(long memoryBytes, Duration wait) {
		this.total = (int) Math.min(Integer.MAX_VALUE, memoryBytes / KIB);
		this.kibibytes = new Semaphore(this.total, true);
		this.wait = wait;
	}

	/** The memory of the buffers when none is configured: a quarter of the heap. */
	public static long defaultMemory() {
		return Runtime.getRuntime().maxMemory() / 4;
	}

	/**
	 * A buffer of {@code size} bytes, once there is memory for it.
	 * @throws BlobStoreUnavailableException if none came free in time
	 */
	byte[] take(int size) throws BlobStoreUnavailableException {
		int needed = kibibytes(size);
		if (needed > this.total) {
			throw new BlobStoreUnavailableException("A part of " + size + " bytes is larger than all the part buffers "
					+ "together (smp.storage.s3.buffer-memory)", null);
		}
		try {
			if (!this.kibibytes.tryAcquire(needed, this.wait.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new BlobStoreUnavailableException("No S3 part buffer came free within " + this.wait
						+ ": more S3 uploads run than smp.storage.s3.buffer-memory holds", null);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new BlobStoreUnavailableException("Interrupted while waiting for an S3 part buffer", ex);
		}
		Deque<byte[]> kept = this.idle.get(size);
		byte[] reused = (kept != null) ? kept.pollFirst() : null;
		if (reused != null) {
			this.idleBytes.addAndGet(-size);
			return reused;
		}
		try {
			return new byte[size];
		}
		catch (OutOfMemoryError ex) {
			this.kibibytes.release(needed);
			throw ex;
		}
	}

	/** Gives a buffer back. */
	void give(byte[] buffer) {
		if (this.idleBytes.addAndGet(buffer.length) <= IDLE_BYTES) {
			this.idle.computeIfAbsent(buffer.length, (size) -> new ConcurrentLinkedDeque<>()).offerFirst(buffer);
		}
		else {
			this.idleBytes.addAndGet(-buffer.length);
		}
		this.kibibytes.release(kibibytes(buffer.length));
	}

	/** The memory free now, in bytes. */
	public long freeBytes() {
		return (long) this.kibibytes.availablePermits() * KIB;
	}

	private static int kibibytes(int size) {
		return (int) ((size + (long) KIB - 1) / KIB);
	}

}
