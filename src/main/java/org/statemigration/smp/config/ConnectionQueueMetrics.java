package org.statemigration.smp.config;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.stereotype.Component;

/**
 * The requests waiting for a database connection in the {@link FairConnectionQueue}, as the gauge
 * {@code smp.database.connections.waiting}. The pool's own count of pending requests stays near zero, since they
 * wait in the queue instead.
 */
@Component
class ConnectionQueueMetrics implements MeterBinder {

	private final DataSource dataSource;

	ConnectionQueueMetrics(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.dataSource instanceof FairConnectionQueue queue) {
			Gauge.builder("smp.database.connections.waiting", queue, FairConnectionQueue::waiting)
				.description("Requests waiting for a database connection")
				.register(registry);
		}
	}

}
