package org.statemigration.smp.store.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * What the sweep of the S3 locations did on this server, tagged like the storage gauges ({@code folder}, the
 * location): unfinished uploads aborted and objects deleted (counters, which add up across the servers, as only one
 * sweeps at a time), keys found under the prefix that are not in the server's layout at the last sweep (a gauge: they
 * are left alone, and an operator may want to know what else writes there), and the passes by outcome.
 */
@Component
public class SweepMetrics {

	/** A pass that swept, one that found another server sweeping, one that failed. */
	public enum Outcome {

		SWEPT, SKIPPED, FAILED

	}

	private final MeterRegistry registry;

	private final Map<String, AtomicLong> foreign = new ConcurrentHashMap<>();

	public SweepMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	void aborted(String location, long uploads) {
		counter("smp.storage.sweep.aborted.uploads", "Unfinished multipart uploads the sweep aborted", location)
			.increment(uploads);
	}

	void deleted(String location, long objects) {
		counter("smp.storage.sweep.deleted.objects", "Objects the sweep deleted", location).increment(objects);
	}

	void foreign(String location, long keys) {
		this.foreign.computeIfAbsent(location, (where) -> {
			AtomicLong value = new AtomicLong();
			Gauge.builder("smp.storage.sweep.foreign.objects", value, AtomicLong::get)
				.description("Keys under the location's prefix not in the server's layout, left alone, at the last sweep")
				.tag("folder", where)
				.register(this.registry);
			return value;
		}).set(keys);
	}

	void pass(Outcome outcome) {
		Counter.builder("smp.storage.sweep.passes")
			.description("Sweeps of the S3 locations tried by this server, by outcome")
			.tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT))
			.register(this.registry)
			.increment();
	}

	private Counter counter(String name, String description, String location) {
		return Counter.builder(name).description(description).tag("folder", location).register(this.registry);
	}

}
