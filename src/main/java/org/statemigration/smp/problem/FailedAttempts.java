package org.statemigration.smp.problem;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Counts failed attempts per key (a remote address, a username) in memory: after {@code maxFailures} failures
 * within {@code window} of the first one, the key is barred for {@code barFor} from the last failure. Failures while
 * barred do not extend the bar, so a caller cannot be kept out for longer than that by someone else's attempts.
 * <p>
 * The table holds at most {@code maxKeys} keys and forgets the least recently failed first, so a flood of keys
 * cannot exhaust the heap. Each server node counts on its own.
 */
public final class FailedAttempts {

	private final int maxFailures;

	private final Duration window;

	private final Duration barFor;

	private final Clock clock;

	private final Map<String, Failures> failures;

	public FailedAttempts(int maxFailures, Duration window, Duration barFor, int maxKeys, Clock clock) {
		this.maxFailures = maxFailures;
		this.window = window;
		this.barFor = barFor;
		this.clock = clock;
		this.failures = new LinkedHashMap<>(256, 0.75f, true) {

			@Override
			protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
				return size() > maxKeys;
			}

		};
	}

	/** How long the key is still barred, if it is. */
	public synchronized Optional<Duration> barred(String key) {
		Failures recorded = this.failures.get(key);
		Instant now = this.clock.instant();
		if (recorded == null || recorded.barredUntil() == null || !now.isBefore(recorded.barredUntil())) {
			return Optional.empty();
		}
		return Optional.of(Duration.between(now, recorded.barredUntil()));
	}

	public synchronized void recordFailure(String key) {
		Instant now = this.clock.instant();
		Failures recorded = this.failures.get(key);
		if (recorded != null && recorded.barredUntil() != null && now.isBefore(recorded.barredUntil())) {
			return;
		}
		if (recorded == null || recorded.barredUntil() != null || !now.isBefore(recorded.since().plus(this.window))) {
			recorded = new Failures(now, 0, null);
		}
		int count = recorded.count() + 1;
		this.failures.put(key, new Failures(recorded.since(), count,
				(count >= this.maxFailures) ? now.plus(this.barFor) : null));
	}

	/** Forgets the key's failures (after a success that proves the caller legitimate). */
	public synchronized void forget(String key) {
		this.failures.remove(key);
	}

	private record Failures(Instant since, int count, Instant barredUntil) {
	}

}
