package org.statemigration.smp.admin;

import java.time.Duration;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Operator sign-in lockout ({@code smp.admin.*}).
 * @param maxFailedLogins failed sign-ins for one username, within {@code lockout} of the first, that lock it
 * @param lockout how long a locked username is refused, counted from the failure that locked it
 */
@ConfigurationProperties("smp.admin")
@Validated
public record AdminProperties(@DefaultValue("5") @Positive int maxFailedLogins,
		@DefaultValue("PT15M") @NotNull Duration lockout) {
}
