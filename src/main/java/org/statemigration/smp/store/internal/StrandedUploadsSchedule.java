package org.statemigration.smp.store.internal;

import java.time.Duration;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
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

	private static final Log logger = LogFactory.getLog(StrandedUploadsSchedule.class);

	private final StrandedUploads stranded;

	private final Duration interval;

	private ThreadPoolTaskScheduler scheduler;

	/** Whether the last pass failed, so that an outage is logged once, not at every pass. */
	private boolean failing;

	StrandedUploadsSchedule(StrandedUploads stranded, StoreProperties properties) {
		this.stranded = stranded;
		this.interval = properties.storage().reconcileInterval();
	}

	@Override
	public synchronized void start() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.setThreadNamePrefix("stranded-uploads-");
		scheduler.setDaemon(true);
		scheduler.initialize();
		Duration delay = (this.interval.toMillis() > 0) ? this.interval : Duration.ofMillis(1);
		scheduler.scheduleWithFixedDelay(this::pass, scheduler.getClock().instant().plus(delay), delay);
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
			this.stranded.reconcile();
			if (this.failing) {
				logger.info("Reconciliation of stranded uploads works again");
				this.failing = false;
			}
		}
		catch (RuntimeException ex) {
			if (!this.failing) {
				logger.warn("Reconciliation of stranded uploads failed (" + ex.getMessage()
						+ "); it is tried again every " + this.interval);
				this.failing = true;
			}
			else {
				logger.debug("Reconciliation of stranded uploads failed again", ex);
			}
		}
	}

}
