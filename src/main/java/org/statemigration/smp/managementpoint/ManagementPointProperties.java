package org.statemigration.smp.managementpoint;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Lifetimes of tokens, enrollment codes and client certificates, restore-only mode, and the delay before
 * restored data is deleted ({@code smp.token.*}, {@code smp.enrollment.*}, {@code smp.ca.*},
 * {@code smp.restore-only-mode}, {@code smp.retention.delete-after}).
 */
@ConfigurationProperties("smp")
@Validated
public record ManagementPointProperties(@DefaultValue @Valid Token token, @DefaultValue @Valid Enrollment enrollment,
		@DefaultValue @Valid Ca ca, @DefaultValue("false") boolean restoreOnlyMode,
		@DefaultValue @Valid Retention retention) {

	public record Token(@DefaultValue("PT4H") @NotNull Duration ttl) {
	}

	public record Enrollment(@DefaultValue("P7D") @NotNull Duration codeTtl) {
	}

	public record Ca(@DefaultValue("P30D") @NotNull Duration clientCertValidity) {
	}

	public record Retention(@DefaultValue("P1D") @NotNull Duration deleteAfter) {
	}

}
