package org.statemigration.smp.store.internal;

import java.time.Duration;

import org.statemigration.smp.store.PeriodicJob;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs {@link StrandedUploads} every {@code smp.storage.reconcile-interval}, on a thread of its own: the pass
 * records that this server is alive, and a long retention pass on the shared scheduler must not make the other
 * servers take it for dead. Off, like the reconciliation at start, when {@code smp.storage.reconcile-at-start=false}
 * (commands that share a running server's node identity).
 */
@Component
@ConditionalOnProperty(name = "smp.storage.reconcile-at-start", havingValue = "true", matchIfMissing = true)
class StrandedUploadsSchedule implements SmartLifecycle {

	private final PeriodicJob job;

	StrandedUploadsSchedule(StrandedUploads stranded, StoreProperties properties) {
		Duration interval = properties.storage().reconcileInterval();
		Duration delay = (interval.toMillis() > 0) ? interval : Duration.ofMillis(1);
		this.job = PeriodicJob.withFixedDelay("Reconciliation of stranded uploads", "stranded-uploads-", delay, delay,
				stranded::reconcile);
	}

	@Override
	public void start() {
		this.job.start();
	}

	@Override
	public void stop() {
		this.job.stop();
	}

	@Override
	public boolean isRunning() {
		return this.job.isRunning();
	}

}
