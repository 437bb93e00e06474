package org.statemigration.smp.scrub;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;
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

	private final Scrub scrub;

	private final ScrubProperties properties;

	private ThreadPoolTaskScheduler scheduler;

	/** Whether the last pass failed, so that an outage of the database is logged once, not at every pass. */
	private boolean failing;

	ScrubSchedule(Scrub scrub, ScrubProperties properties) {
		this.scrub = scrub;
		this.properties = properties;
	}

	@Override
	public synchronized void start() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("scrub-");
		scheduler.setDaemon(true);
		scheduler.initialize();
		if (this.properties.hasCron()) {
			scheduler.schedule(this::pass, new CronTrigger(this.properties.cron()));
		}
		else {
			Duration interval = this.properties.interval();
			Duration first = (interval.compareTo(FIRST_AFTER) < 0) ? interval : FIRST_AFTER;
			scheduler.scheduleWithFixedDelay(this::pass, scheduler.getClock().instant().plus(first), interval);
		}
		this.scheduler = scheduler;
		logger.info("The integrity scrub runs " + this.properties.schedule() + ", reading at most "
				+ ((this.properties.bytesPerSecond().toBytes() > 0) ? this.properties.bytesPerSecond() + " per second"
						: "as fast as the storage answers"));
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
			this.scrub.scheduledPass();
			if (this.failing) {
				logger.info("The integrity scrub works again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("The integrity scrub failed (" + ex.getMessage() + "); it is tried again "
						+ this.properties.schedule());
				this.failing = true;
			}
			else {
				logger.debug("The integrity scrub failed again", ex);
			}
		}
	}

}
