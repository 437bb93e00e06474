package org.statemigration.smp.managementpoint;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
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
 * told to come back ({@code 503 server-busy}, Retry-After). With {@code smp.transfers.max-waiting} set, that many
 * transfers over the limit wait for a slot first, in the order they came, for at most {@code max-wait}: a waiting
 * transfer has read nothing of its body and holds no transfer buffers, only its request's thread and state, and no
 * more wait than a quarter of the heap holds. An association has one capture running at a time
 * ({@code 503 capture-in-progress}), and a few downloads.
 */
@Component
public class TransferSlots {

	/**
	 * What one transfer holds at most: transfer buffers, two 1 MiB segments (a download's sealed segment and its
	 * plaintext; an upload seals its one segment in place), socket buffers, with room to spare.
	 */
	static final long MEMORY_PER_TRANSFER = 4L * 1024 * 1024;

	/**
	 * What one transfer waiting for a slot holds at most: its request's state in the container and the application,
	 * and its connection's buffers, with room to spare. Measured: 256 transfers at once against 16 slots at
	 * {@code -Xmx2g}, the heap's live objects grew by about 180 KiB per waiting transfer beyond those of the 16.
	 */
	static final long MEMORY_PER_WAITING = 256L * 1024;

	static final int DOWNLOADS_PER_ASSOCIATION = 4;

	private static final Log logger = LogFactory.getLog(TransferSlots.class);

	private final int limit;

	private final Semaphore slots;

	private final Map<UUID, Boolean> capturing = new ConcurrentHashMap<>();

	private final Map<UUID, AtomicInteger> restoring = new ConcurrentHashMap<>();

	private final Duration retryAfter;

	private final int maxWaiting;

	private final Duration maxWait;

	private final AtomicInteger waiting = new AtomicInteger();

	public TransferSlots(TransferProperties properties) {
		this.limit = (properties.maxConcurrent() > 0) ? properties.maxConcurrent()
				: fromHeap(Runtime.getRuntime().maxMemory());
		// fair: a slot that frees goes to the transfer that has waited longest, not to one that just came
		this.slots = new Semaphore(this.limit, true);
		this.retryAfter = properties.retryAfter();
		this.maxWaiting = Math.min(properties.maxWaiting(), waitingFromHeap(Runtime.getRuntime().maxMemory()));
		if (this.maxWaiting < properties.maxWaiting()) {
			logger.warn("smp.transfers.max-waiting is " + properties.maxWaiting() + ", more than the heap holds: at most "
					+ this.maxWaiting + " transfers wait (a quarter of the heap, at " + MEMORY_PER_WAITING / 1024
					+ " KiB each); give the server"
					+ " more heap to let more wait");
		}
		this.maxWait = properties.maxWait();
		logger.info("At most " + this.limit + " state store transfers at once"
				+ ((this.maxWaiting > 0) ? ", and " + this.maxWaiting + " waiting up to " + this.maxWait.toSeconds()
						+ " s for one of them" : ""));
	}

	static int fromHeap(long maxHeap) {
		return (int) Math.max(2, Math.min(256, maxHeap / 4 / MEMORY_PER_TRANSFER));
	}

	/** The most transfers that may wait for a slot in a heap of this size: a quarter of it. */
	static int waitingFromHeap(long maxHeap) {
		return (int) Math.min(Integer.MAX_VALUE, maxHeap / 4 / MEMORY_PER_WAITING);
	}

	/** The most transfers this server runs at once. */
	public int limit() {
		return this.limit;
	}

	/** Transfers running now. */
	public int active() {
		return this.limit - this.slots.availablePermits();
	}

	/** The most transfers that wait for a slot. */
	int maxWaiting() {
		return this.maxWaiting;
	}

	/** Transfers waiting for a slot now. */
	public int waiting() {
		return this.waiting.get();
	}

	/**
	 * Refuses work that leads to a transfer while none could start or wait now, e.g. a request for a state store.
	 * @throws ServerBusyException if every slot is taken and as many transfers wait as may
	 */
	public void checkCapacity() {
		if (this.slots.availablePermits() == 0 && this.waiting.get() >= this.maxWaiting) {
			throw busy();
		}
	}

	/**
	 * A slot for a capture (an upload or a chunk of a resumable one) of the association.
	 * @throws CaptureInProgressException if another capture of the association is running
	 * @throws ServerBusyException if every slot is taken, and no slot frees within the wait if the transfer may wait
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
	 * @throws ServerBusyException if every slot is taken (and none frees within the wait if the transfer may wait),
	 * or the association has its most downloads running
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
		try {
			// a timed acquire, even of zero, keeps the order of the transfers that wait
			if (this.slots.tryAcquire(0, TimeUnit.SECONDS)) {
				return;
			}
			if (this.waiting.incrementAndGet() > this.maxWaiting) {
				this.waiting.decrementAndGet();
				throw busy();
			}
			try {
				if (!this.slots.tryAcquire(this.maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
					throw busy();
				}
			}
			finally {
				this.waiting.decrementAndGet();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
