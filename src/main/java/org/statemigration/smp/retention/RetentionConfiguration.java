package org.statemigration.smp.retention;

import java.time.Duration;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Runs a retention pass every {@code smp.retention.cleanup-interval}, counted from the end of the previous one,
 * the first one interval after start (a server that starts is busy enough). Off when
 * {@code smp.retention.scheduled=false} (command-line tools such as {@code keys rotate}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "smp.retention.scheduled", havingValue = "true", matchIfMissing = true)
@EnableScheduling
class RetentionConfiguration implements SchedulingConfigurer {

	private final RetentionJob job;

	private final RetentionProperties properties;

	RetentionConfiguration(RetentionJob job, RetentionProperties properties) {
		this.job = job;
		this.properties = properties;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		Duration interval = this.properties.cleanupInterval();
		registrar.addFixedDelayTask(new FixedDelayTask(this.job::runScheduled, interval, interval));
	}

}
