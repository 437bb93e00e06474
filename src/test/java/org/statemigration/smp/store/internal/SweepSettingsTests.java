package org.statemigration.smp.store.internal;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.store.internal.StoreProperties.Sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The bounds of {@code smp.storage.sweep.*}: a minimum age below an hour, a lock that holds less than five minutes,
 * or one held longer at least than at most, are refused at start with the setting named.
 */
class SweepSettingsTests {

	@Test
	void theDefaultsAreWithinTheBounds() {
		assertThat(Sweep.DEFAULTS.minAge()).isEqualTo(Duration.ofHours(6));
		assertThat(new Sweep(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(5), Duration.ZERO))
			.isNotNull();
	}

	@Test
	void refusesAMinimumAgeUnderAnHour() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Sweep(Duration.ofHours(1), Duration.ofMinutes(59), Duration.ofMinutes(15),
					Duration.ofMinutes(5)))
			.withMessageContaining("smp.storage.sweep.min-age");
	}

	@Test
	void refusesALockThatHoldsLessThanFiveMinutes() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Sweep(Duration.ofHours(1), Duration.ofHours(6), Duration.ofMinutes(4), Duration.ZERO))
			.withMessageContaining("smp.storage.sweep.lock-at-most-for");
	}

	@Test
	void refusesALockHeldLongerAtLeastThanAtMost() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Sweep(Duration.ofHours(1), Duration.ofHours(6), Duration.ofMinutes(15),
					Duration.ofMinutes(16)))
			.withMessageContaining("smp.storage.sweep.lock-at-least-for");
	}

	@Test
	void refusesAnIntervalThatIsNotPositive() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new Sweep(Duration.ZERO, Duration.ofHours(6), Duration.ofMinutes(15), Duration.ZERO))
			.withMessageContaining("smp.storage.sweep.interval");
	}

}
