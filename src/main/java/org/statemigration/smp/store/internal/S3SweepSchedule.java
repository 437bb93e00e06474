package org.statemigration.smp.store.internal;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
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

	private static final Log logger = LogFactory.getLog(S3SweepSchedule.class);

	private static final Duration FIRST_AFTER = Duration.ofMinutes(1);

	private final S3Sweep sweep;

	private final Duration interval;

	private ThreadPoolTaskScheduler scheduler;

	/** Whether the last pass failed, so that an outage of the database is logged once, not at every pass. */
	private boolean failing;

	S3SweepSchedule(S3Sweep sweep, StoreProperties properties) {
		this.sweep = sweep;
		this.interval = properties.storage().sweep().interval();
	}

	@Override
	public synchronized void start() {
		if (!this.sweep.hasS3Locations()) {
			return;
		}
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("s3-sweep-");
		scheduler.setDaemon(true);
		scheduler.initialize();
		Duration first = (this.interval.compareTo(FIRST_AFTER) < 0) ? this.interval : FIRST_AFTER;
		scheduler.scheduleWithFixedDelay(this::pass, scheduler.getClock().instant().plus(first), this.interval);
		this.scheduler = scheduler;
	}

	@Override
	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdown();
			this.scheduler = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	private void pass() {
		try {
			this.sweep.sweep();
			if (this.failing) {
				logger.info("The sweep of the S3 locations works again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("The sweep of the S3 locations failed (" + ex.getMessage() + "); it is tried again every "
						+ this.interval);
				this.failing = true;
			}
			else {
				logger.debug("The sweep of the S3 locations failed again", ex);
			}
		}
	}

}
