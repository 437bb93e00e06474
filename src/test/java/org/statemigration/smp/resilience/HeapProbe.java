package org.statemigration.smp.resilience;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.statemigration.smp.support.OperatorClient;

/**
 * Samples the server's heap in use every few seconds from its metrics ({@code /actuator/prometheus}), as a
 * monitoring system would, and keeps the highest sample. (Not more often: each sample signs in with a password,
 * whose hash takes a share of the server's CPU that the scenarios measure.)
 */
final class HeapProbe implements AutoCloseable {

	private static final Pattern HEAP = Pattern
		.compile("(?m)^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*\\} ([0-9.eE+]+)$");

	private final OperatorClient operator;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

	private final AtomicLong highest = new AtomicLong();

	private HeapProbe(OperatorClient operator) {
		this.operator = operator;
	}

	static HeapProbe start(OperatorClient operator) {
		HeapProbe probe = new HeapProbe(operator);
		probe.scheduler.scheduleWithFixedDelay(probe::sample, 0, 3, TimeUnit.SECONDS);
		return probe;
	}

	private void sample() {
		try {
			String metrics = this.operator.send("GET", "/actuator/prometheus", null, "text/plain").body();
			long used = 0;
			Matcher matcher = HEAP.matcher(metrics);
			while (matcher.find()) {
				used += (long) Double.parseDouble(matcher.group(1));
			}
			this.highest.accumulateAndGet(used, Math::max);
		}
		catch (RuntimeException ex) {
			// a sample that fails is no sample
		}
	}

	/** The highest heap in use sampled, in bytes. */
	long highest() {
		return this.highest.get();
	}

	@Override
	public void close() {
		this.scheduler.shutdownNow();
	}

}
