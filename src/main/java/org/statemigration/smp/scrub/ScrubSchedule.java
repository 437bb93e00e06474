package org.statemigration.smp.scrub;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.store.PeriodicJob;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Tries a pass of the {@link Scrub} on every server where {@code smp.scrub.enabled} is true: by
 * {@code smp.scrub.cron} if set, else every {@code smp.scrub.interval} after the last try ended, the first time a
 * minute after start (or one interval, if shorter). The server that takes the lock scrubs, the others skip their
 * turn. It runs on a thread of its own, as a pass reads every store and takes hours; stopping the server interrupts
 * it, and the next pass goes on where it stopped.
 */
@Component
@ConditionalOnProperty(name = "smp.scrub.enabled", havingValue = "true")
class ScrubSchedule implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(ScrubSchedule.class);

	private static final Duration FIRST_AFTER = Duration.ofMinutes(1);

	private final ScrubProperties properties;

	private final PeriodicJob job;

	ScrubSchedule(Scrub scrub, ScrubProperties properties) {
		this.properties = properties;
		Duration interval = properties.interval();
		Duration first = (interval.compareTo(FIRST_AFTER) < 0) ? interval : FIRST_AFTER;
		this.job = properties.hasCron()
				? PeriodicJob.onCron("The integrity scrub", "scrub-", properties.cron(), scrub::scheduledPass)
				: PeriodicJob.withFixedDelay("The integrity scrub", "scrub-", first, interval, scrub::scheduledPass);
	}

	@Override
	public void start() {
		this.job.start();
		logger.info("The integrity scrub runs " + this.job.schedule() + ", reading at most "
				+ ((this.properties.bytesPerSecond().toBytes() > 0) ? this.properties.bytesPerSecond() + " per second"
						: "as fast as the storage answers"));
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
