package org.statemigration.smp.scrub;

import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.statemigration.smp.store.StoreCheck;

import org.springframework.stereotype.Component;

/**
 * What the integrity scrub did on this server: versions checked by result and ciphertext bytes read (counters,
 * which add up across the servers as only one scrubs at a time), damaged versions found, passes by outcome, the
 * end of the last pass this server completed and the versions marked damaged at that moment (gauges).
 */
@Component
class ScrubMetrics {

	/** A pass that went through every version, one that found another server scrubbing, one cut short. */
	enum Outcome {

		COMPLETED, SKIPPED, STOPPED, FAILED

	}

	private final MeterRegistry registry;

	private final AtomicLong lastPass = new AtomicLong();

	private final AtomicLong marked = new AtomicLong();

	ScrubMetrics(MeterRegistry registry) {
		this.registry = registry;
		Gauge.builder("smp.scrub.last.pass", this.lastPass, AtomicLong::get)
			.description("When this server last completed a pass of the scheduled scrub (seconds since the epoch; 0 "
					+ "for never)")
			.baseUnit("seconds")
			.register(registry);
		Gauge.builder("smp.scrub.damaged.stores", this.marked, AtomicLong::get)
			.description("Committed versions marked damaged, as this server last counted them")
			.register(registry);
	}

	void checked(StoreCheck check) {
		String result = check.damaged() ? "damaged" : check.verdict().slug();
		Counter.builder("smp.scrub.stores.checked")
			.description("Committed versions the scrub checked, by result (intact, damaged, unreadable)")
			.tag("result", result)
			.register(this.registry)
			.increment();
		Counter.builder("smp.scrub.bytes.checked")
			.description("Ciphertext bytes the scrub read")
			.baseUnit("bytes")
			.register(this.registry)
			.increment(check.bytesRead());
		if (check.damaged()) {
			Counter.builder("smp.scrub.damaged.found")
				.description("Damaged versions the scrub found, by what was wrong")
				.tag("verdict", check.verdict().slug())
				.register(this.registry)
				.increment();
		}
	}

	void pass(Outcome outcome) {
		Counter.builder("smp.scrub.passes")
			.description("Passes of the scheduled scrub tried by this server, by outcome")
			.tag("outcome", outcome.name().toLowerCase(Locale.ROOT))
			.register(this.registry)
			.increment();
	}

	void completed(Instant at) {
		this.lastPass.set(at.getEpochSecond());
	}

	void marked(long versions) {
		this.marked.set(versions);
	}

}
