package org.statemigration.smp.audit;

import java.nio.file.Path;
import java.time.Duration;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the audit log is written ({@code smp.audit.*}).
 * @param lockTimeout how long an append waits for the head of the chain, which another append (or anything else
 * holding its row) may have locked; past it the action fails with {@code audit-unavailable} instead of holding a
 * database connection while it waits
 * @param file the append-only file that receives a copy of every event's sequence number and MAC, outside the
 * database, so that verification can tell when the newest events were deleted and the head rewritten
 */
@ConfigurationProperties("smp.audit")
@Validated
public record AuditProperties(@DefaultValue("2s") Duration lockTimeout, @NotNull Path file) {

	public AuditProperties {
		if (lockTimeout.isNegative() || lockTimeout.isZero()) {
			throw new IllegalArgumentException("smp.audit.lock-timeout must be positive");
		}
	}

}
