package org.statemigration.smp.scrub;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The integrity scrub ({@code smp.scrub.*}).
 * @param enabled whether the scheduled scrub runs on this server (the {@code verify} command runs either way)
 * @param interval the time between the end of one pass and the next try, when no {@code cron} is set; the first
 * try comes one minute after start (or one interval, if shorter)
 * @param cron a cron expression (Spring's six fields, e.g. {@code 0 0 1 * * *} for 01:00 every night) for the
 * tries instead of the interval; in the server's time zone
 * @param bytesPerSecond the most ciphertext a scrub reads per second, so that it does not starve transfers;
 * {@code 0} for no limit
 * @param lockAtMostFor how long the lock of a scheduled pass holds without being renewed: a running pass renews
 * it, and when its server dies another may scrub this long after
 * @param lockAtLeastFor how long the lock stays taken after a pass that ended sooner, so that servers whose turns
 * fall close together do not scrub again right away; at most {@code lockAtMostFor}
 * @param checkWait how long an operator's check of one store ({@code POST /api/v1/scrub/stores/{id}/check}) holds
 * its request before it answers that the check goes on (202) and where its result will be; a check that ends
 * sooner is answered with its result
 */
@ConfigurationProperties("smp.scrub")
@Validated
public record ScrubProperties(@DefaultValue("false") boolean enabled, @DefaultValue("P1D") @NotNull Duration interval,
		String cron, @DefaultValue("50MB") @NotNull DataSize bytesPerSecond,
		@DefaultValue("PT15M") @NotNull Duration lockAtMostFor, @DefaultValue("PT1M") @NotNull Duration lockAtLeastFor,
		@DefaultValue("PT20S") @NotNull Duration checkWait) {

	public ScrubProperties {
		if (interval != null && (interval.isNegative() || interval.isZero())) {
			throw new IllegalArgumentException("smp.scrub.interval must be positive, not " + interval);
		}
		if (cron != null && !cron.isBlank() && !CronExpression.isValidExpression(cron)) {
			throw new IllegalArgumentException("smp.scrub.cron is not a cron expression: " + cron);
		}
		if (bytesPerSecond != null && bytesPerSecond.isNegative()) {
			throw new IllegalArgumentException("smp.scrub.bytes-per-second must not be negative, not " + bytesPerSecond);
		}
		if (lockAtMostFor != null && lockAtMostFor.compareTo(Duration.ofMinutes(1)) < 0) {
			throw new IllegalArgumentException("smp.scrub.lock-at-most-for must be at least PT1M, not " + lockAtMostFor);
		}
		if (lockAtLeastFor != null && lockAtMostFor != null
				&& (lockAtLeastFor.isNegative() || lockAtLeastFor.compareTo(lockAtMostFor) > 0)) {
			throw new IllegalArgumentException("smp.scrub.lock-at-least-for must be between 0 and lock-at-most-for, not "
					+ lockAtLeastFor);
		}
		if (checkWait != null && (checkWait.isNegative() || checkWait.compareTo(Duration.ofMinutes(5)) > 0)) {
			throw new IllegalArgumentException("smp.scrub.check-wait must be between 0 and PT5M, not " + checkWait);
		}
	}

	/** Whether the tries follow a cron expression rather than the interval. */
	public boolean hasCron() {
		return this.cron != null && !this.cron.isBlank();
	}

	/** The schedule in words, for the logs and the console. */
	public String schedule() {
		return hasCron() ? "cron " + this.cron : "every " + this.interval;
	}

}
