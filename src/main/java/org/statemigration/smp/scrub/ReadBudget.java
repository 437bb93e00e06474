package org.statemigration.smp.scrub;

import java.util.function.LongSupplier;

import org.springframework.util.unit.DataSize;

/**
 * A budget of bytes per second for the reads of a scrub, so that it does not starve transfers: before it reads,
 * a scrub takes the bytes it is about to read, and waits when it is ahead of the rate. Up to one second of budget
 * left unused may be spent at once; over any longer time the reads stay within the rate.
 */
public final class ReadBudget {

	private static final long SECOND = 1_000_000_000L;

	private final long bytesPerSecond;

	private final LongSupplier nanoTime;

	private final Sleeper sleeper;

	/** The moment (on the nano clock) until which the bytes taken so far use up the budget. */
	private long spentUntil;

	private boolean started;

	ReadBudget(long bytesPerSecond, LongSupplier nanoTime, Sleeper sleeper) {
		this.bytesPerSecond = bytesPerSecond;
		this.nanoTime = nanoTime;
		this.sleeper = sleeper;
	}

	/** A budget of that many bytes per second; none ({@code 0}) for no limit. */
	public static ReadBudget perSecond(DataSize bytes) {
		return new ReadBudget(bytes.toBytes(), System::nanoTime, (nanos) -> Thread.sleep(nanos / 1_000_000,
				(int) (nanos % 1_000_000)));
	}

	/** The budget's rate in bytes per second, {@code 0} for no limit. */
	public long bytesPerSecond() {
		return this.bytesPerSecond;
	}

	/**
	 * Takes bytes from the budget, waiting until the rate allows them.
	 * @throws InterruptedException if the thread was interrupted while it waited
	 */
	public synchronized void take(long bytes) throws InterruptedException {
		if (this.bytesPerSecond <= 0 || bytes <= 0) {
			return;
		}
		long now = this.nanoTime.getAsLong();
		long unusedFloor = now - SECOND;
		if (!this.started || this.spentUntil - unusedFloor < 0) {
			this.spentUntil = unusedFloor;
			this.started = true;
		}
		this.spentUntil += (long) ((double) bytes * SECOND / this.bytesPerSecond);
		long wait = this.spentUntil - now;
		if (wait > 0) {
			this.sleeper.sleep(wait);
		}
	}

	/** How the budget waits. */
	@FunctionalInterface
	interface Sleeper {

		void sleep(long nanos) throws InterruptedException;

	}

}
