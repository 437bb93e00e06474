package org.statemigration.smp.store.internal;

import java.time.Duration;

import org.statemigration.smp.store.PeriodicJob;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tries the {@link S3Sweep} every {@code smp.storage.sweep.interval} on every server that has an S3 location, the
 * first time a minute after start (or one interval, if shorter); the server that takes the lock sweeps, the others
 * skip their turn. It runs on a thread of its own: a sweep of a large bucket takes minutes, and must not hold up
 * retention on the shared scheduler nor the heartbeat of {@link StrandedUploadsSchedule}. Off with
 * {@code smp.storage.reconcile-at-start=false}, like the other reconciliations (commands that start the application
 * beside a running server).
 */
@Component
@ConditionalOnProperty(name = "smp.storage.reconcile-at-start", havingValue = "true", matchIfMissing = true)
class S3SweepSchedule implements SmartLifecycle {

	private static final Duration FIRST_AFTER = Duration.ofMinutes(1);

	private final S3Sweep sweep;

	private final PeriodicJob job;

	S3SweepSchedule(S3Sweep sweep, StoreProperties properties) {
		this.sweep = sweep;
		Duration interval = properties.storage().sweep().interval();
		Duration first = (interval.compareTo(FIRST_AFTER) < 0) ? interval : FIRST_AFTER;
		this.job = PeriodicJob.withFixedDelay("The sweep of the S3 locations", "s3-sweep-", first, interval,
				sweep::sweep);
	}

	@Override
	public void start() {
		if (this.sweep.hasS3Locations()) {
			this.job.start();
		}
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
