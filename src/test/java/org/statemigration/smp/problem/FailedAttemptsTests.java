package org.statemigration.smp.problem;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.support.TestClock;

import static org.assertj.core.api.Assertions.assertThat;

class FailedAttemptsTests {

	private final TestClock clock = new TestClock();

	private final FailedAttempts attempts = new FailedAttempts(3, Duration.ofMinutes(10), Duration.ofMinutes(15), 2,
			this.clock);

	@Test
	void barsAKeyAfterTheLimitForTheBarDuration() {
		fail("a", 3);
		assertThat(this.attempts.barred("a")).hasValueSatisfying((wait) -> assertThat(wait)
			.isBetween(Duration.ofMinutes(14), Duration.ofMinutes(15)));
		this.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		assertThat(this.attempts.barred("a")).isEmpty();
	}

	@Test
	void failuresOutsideTheWindowDoNotAddUp() {
		fail("a", 2);
		this.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
		fail("a", 2);
		assertThat(this.attempts.barred("a")).isEmpty();
	}

	@Test
	void failuresWhileBarredDoNotExtendTheBar() {
		fail("a", 3);
		this.clock.advance(Duration.ofMinutes(14));
		fail("a", 5);
		this.clock.advance(Duration.ofMinutes(1).plusSeconds(1));
		assertThat(this.attempts.barred("a")).isEmpty();
	}

	@Test
	void keysAreCountedApartAndForgotten() {
		fail("a", 3);
		fail("b", 2);
		assertThat(this.attempts.barred("b")).isEmpty();
		this.attempts.forget("a");
		assertThat(this.attempts.barred("a")).isEmpty();
	}

	@Test
	void holdsNoMoreThanItsMaximumOfKeys() {
		fail("a", 3);
		fail("b", 3);
		fail("c", 3);
		assertThat(this.attempts.barred("a")).isEmpty();
		assertThat(this.attempts.barred("b")).isPresent();
		assertThat(this.attempts.barred("c")).isPresent();
	}

	private void fail(String key, int times) {
		for (int i = 0; i < times; i++) {
			this.attempts.recordFailure(key);
		}
	}

}
