package org.statemigration.smp.association.internal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.statemigration.smp.association.AssociationState;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The gauge {@code smp.stores}: how many associations are in each state (tag {@code state}). Counted in the
 * database, so that every server of a cluster reports the same figures, and at most once every few seconds,
 * however often it is scraped.
 */
@Component
class AssociationStateMetrics {

	static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(5);

	private final JdbcClient jdbc;

	private volatile Map<AssociationState, Long> counts;

	private volatile long countedAt;

	AssociationStateMetrics(JdbcClient jdbc, MeterRegistry registry) {
		this.jdbc = jdbc;
		for (AssociationState state : AssociationState.values()) {
			Gauge.builder("smp.stores", this, (metrics) -> metrics.count(state))
				.description("Computer associations in each state")
				.tag("state", state.name())
				.register(registry);
		}
	}

	private double count(AssociationState state) {
		return counts().getOrDefault(state, 0L);
	}

	private Map<AssociationState, Long> counts() {
		Map<AssociationState, Long> counts = this.counts;
		if (counts == null || System.nanoTime() - this.countedAt > MAX_AGE_NANOS) {
			synchronized (this) {
				if (this.counts == null || System.nanoTime() - this.countedAt > MAX_AGE_NANOS) {
					this.counts = query();
					this.countedAt = System.nanoTime();
				}
				counts = this.counts;
			}
		}
		return counts;
	}

	private Map<AssociationState, Long> query() {
		Map<AssociationState, Long> counts = new EnumMap<>(AssociationState.class);
		this.jdbc.sql("SELECT state, COUNT(*) FROM computer_association GROUP BY state")
			.query((rs, row) -> counts.put(AssociationState.valueOf(rs.getString(1)), rs.getLong(2)))
			.list();
		return counts;
	}

}
