package org.statemigration.smp.scrub;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The budget of bytes per second of a scrub: reads within a second of unused budget go at once, beyond it they
 * wait as long as the rate says, time that passed without reads is not saved up past one second, and no budget
 * never waits.
 */
class ReadBudgetTests {

	private static final long SECOND = 1_000_000_000L;

	private final AtomicLong now = new AtomicLong(5 * SECOND);

	private final AtomicLong slept = new AtomicLong();

	private ReadBudget budget(long bytesPerSecond) {
		// the clock moves on as the budget sleeps, as a real one would
		return new ReadBudget(bytesPerSecond, this.now::get, (nanos) -> {
			this.slept.addAndGet(nanos);
			this.now.addAndGet(nanos);
		});
	}

	@Test
	void readsBeyondOneSecondOfBudgetWaitForTheRate() throws InterruptedException {
		ReadBudget budget = budget(1_000_000);
		for (int i = 0; i < 10; i++) {
			budget.take(500_000);
		}
		// 5 MB at 1 MB/s: 5 s, of which the first second's budget was there at once
		assertThat(this.slept.get()).isEqualTo(4 * SECOND);
	}

	@Test
	void aLongRunStaysWithinTheRate() throws InterruptedException {
		ReadBudget budget = budget(50L << 20);
		long start = this.now.get();
		long bytes = 0;
		for (int i = 0; i < 1000; i++) {
			budget.take(1 << 20);
			bytes += 1 << 20;
		}
		double seconds = (double) (this.now.get() - start) / SECOND;
		assertThat(bytes / seconds).isLessThanOrEqualTo((50L << 20) * 1.06);
		assertThat(bytes / seconds).isGreaterThan((50L << 20) * 0.9);
	}

	@Test
	void idleTimeIsNotSavedUpBeyondOneSecond() throws InterruptedException {
		ReadBudget budget = budget(1_000_000);
		budget.take(1_000_000);
		this.now.addAndGet(60 * SECOND);
		budget.take(3_000_000);
		assertThat(this.slept.get()).isEqualTo(2 * SECOND);
	}

	@Test
	void noBudgetNeverWaits() throws InterruptedException {
		ReadBudget budget = budget(0);
		for (int i = 0; i < 100; i++) {
			budget.take(1L << 30);
		}
		assertThat(this.slept.get()).isZero();
	}

}
