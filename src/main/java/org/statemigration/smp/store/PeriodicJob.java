package org.statemigration.smp.store;

import java.time.Duration;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;

/**
 * A job that a server runs again and again on a thread of its own, so that a long run holds up nothing on the
 * shared scheduler: after a fixed delay from the end of the last run, or by a cron expression. A run that fails is
 * logged once with its reason, and once more when a run works again, so that an outage of the database does not
 * fill the log. Stopping it interrupts a run under way.
 */
public final class PeriodicJob {

	private static final Log logger = LogFactory.getLog(PeriodicJob.class);

	private final String what;

	private final String schedule;

	private final String threadPrefix;

	/** Schedules a run on the job's scheduler. */
	private final BiConsumer<ThreadPoolTaskScheduler, Runnable> plan;

	private final Runnable run;

	private ThreadPoolTaskScheduler scheduler;

	/** Whether the last run failed. */
	private boolean failing;

	private PeriodicJob(String what, String schedule, String threadPrefix,
			BiConsumer<ThreadPoolTaskScheduler, Runnable> plan, Runnable run) {
		this.what = what;
		this.schedule = schedule;
		this.threadPrefix = threadPrefix;
		this.plan = plan;
		this.run = run;
	}

	/**
	 * A job run {@code delay} after the end of the run before, the first time {@code first} after start.
	 * @param what the job, as the log names it at the start of a sentence
	 * @param threadPrefix the prefix of its thread's name
	 */
	public static PeriodicJob withFixedDelay(String what, String threadPrefix, Duration first, Duration delay,
			Runnable run) {
		return new PeriodicJob(what, "every " + delay, threadPrefix, (scheduler, task) -> scheduler
			.scheduleWithFixedDelay(task, scheduler.getClock().instant().plus(first), delay), run);
	}

	/** A job run at the times a cron expression names. */
	public static PeriodicJob onCron(String what, String threadPrefix, String cron, Runnable run) {
		return new PeriodicJob(what, "by cron " + cron, threadPrefix,
				(scheduler, task) -> scheduler.schedule(task, new CronTrigger(cron)), run);
	}

	/** When it runs, in words: {@code every PT1H}, or {@code by cron 0 0 3 * * *}. */
	public String schedule() {
		return this.schedule;
	}

	public synchronized void start() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix(this.threadPrefix);
		scheduler.setDaemon(true);
		scheduler.initialize();
		this.plan.accept(scheduler, this::runOnce);
		this.scheduler = scheduler;
	}

	public synchronized void stop() {
		if (this.scheduler != null) {
			this.scheduler.shutdown();
			this.scheduler = null;
		}
	}

	public synchronized boolean isRunning() {
		return this.scheduler != null;
	}

	private void runOnce() {
		try {
			this.run.run();
			if (this.failing) {
				logger.info(this.what + " works again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn(this.what + " failed (" + ex.getMessage() + "); it is tried again " + this.schedule);
				this.failing = true;
			}
			else {
				logger.debug(this.what + " failed again", ex);
			}
		}
	}

}
