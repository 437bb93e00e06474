package org.statemigration.smp.managementpoint;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.problem.ServerBusyException;
import org.statemigration.smp.store.CaptureInProgressException;

import org.springframework.stereotype.Component;

/**
 * Admits state store transfers (uploads, resumable chunks, downloads) before a byte of them moves. A transfer
 * holds a few megabytes of buffers and two threads for as long as its client takes, so the number running at once
 * is bounded: the server's memory stays below its heap however many clients come, and what is over the limit is
 * told to come back ({@code 503 server-busy}, Retry-After) instead of queueing. An association has one capture
 * running at a time ({@code 503 capture-in-progress}), and a few downloads.
 */
@Component
public class TransferSlots {

	/** What one transfer holds at most: transfer buffers, two 1 MiB segments, socket buffers, with room to spare. */
	static final long MEMORY_PER_TRANSFER = 4L * 1024 * 1024;

	static final int DOWNLOADS_PER_ASSOCIATION = 4;

	private static final Log logger = LogFactory.getLog(TransferSlots.class);

	private final int limit;

	private final Semaphore slots;

	private final Map<UUID, Boolean> capturing = new ConcurrentHashMap<>();

	private final Map<UUID, AtomicInteger> restoring = new ConcurrentHashMap<>();

	private final Duration retryAfter;

	public TransferSlots(TransferProperties properties) {
		this.limit = (properties.maxConcurrent() > 0) ? properties.maxConcurrent()
				: fromHeap(Runtime.getRuntime().maxMemory());
		this.slots = new Semaphore(this.limit);
		this.retryAfter = properties.retryAfter();
		logger.info("At most " + this.limit + " state store transfers at once");
	}

	static int fromHeap(long maxHeap) {
		return (int) Math.max(2, Math.min(256, maxHeap / 4 / MEMORY_PER_TRANSFER));
	}

	/** The most transfers this server runs at once. */
	public int limit() {
		return this.limit;
	}

	/** Transfers running now. */
	public int active() {
		return this.limit - this.slots.availablePermits();
	}

	/**
	 * Refuses work that leads to a transfer while none could start now, e.g. a request for a state store.
	 * @throws ServerBusyException if every slot is taken
	 */
	public void checkCapacity() {
		if (this.slots.availablePermits() == 0) {
			throw busy();
		}
	}

	/**
	 * A slot for a capture (an upload or a chunk of a resumable one) of the association.
	 * @throws CaptureInProgressException if another capture of the association is running
	 * @throws ServerBusyException if every slot is taken
	 */
	public Slot capture(UUID associationId) {
		if (this.capturing.putIfAbsent(associationId, Boolean.TRUE) != null) {
			throw new CaptureInProgressException(this.retryAfter);
		}
		try {
			take();
		}
		catch (RuntimeException ex) {
			this.capturing.remove(associationId);
			throw ex;
		}
		return new Slot(() -> {
			this.capturing.remove(associationId);
			this.slots.release();
		});
	}

	/**
	 * A slot for a download of the association's store.
	 * @throws ServerBusyException if every slot is taken, or the association has its most downloads running
	 */
	public Slot restore(UUID associationId) {
		AtomicInteger running = this.restoring.computeIfAbsent(associationId, (id) -> new AtomicInteger());
		if (running.incrementAndGet() > DOWNLOADS_PER_ASSOCIATION) {
			leaveRestore(associationId, running);
			throw new ServerBusyException("This state store is being downloaded " + DOWNLOADS_PER_ASSOCIATION
					+ " times at once; try again later", this.retryAfter);
		}
		try {
			take();
		}
		catch (RuntimeException ex) {
			leaveRestore(associationId, running);
			throw ex;
		}
		return new Slot(() -> {
			leaveRestore(associationId, running);
			this.slots.release();
		});
	}

	private void leaveRestore(UUID associationId, AtomicInteger running) {
		if (running.decrementAndGet() == 0) {
			this.restoring.remove(associationId, running);
		}
	}

	private void take() {
		if (!this.slots.tryAcquire()) {
			throw busy();
		}
	}

	private ServerBusyException busy() {
		return new ServerBusyException(
				"The server is running its most transfers at once (" + this.limit + "); try again later",
				this.retryAfter);
	}

	/** A running transfer's place; closing it (once) lets the next one in. */
	public static final class Slot implements AutoCloseable {

		private Runnable release;

		private Slot(Runnable release) {
			this.release = release;
		}

		@Override
		public void close() {
			Runnable once = this.release;
			this.release = null;
			if (once != null) {
				once.run();
			}
		}

	}

}
