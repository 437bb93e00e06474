package org.statemigration.smp.managementpoint;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Lifetimes of enrollment codes and client certificates, throttling of failed enrollments ({@code smp.enrollment.*}, {@code smp.ca.*}). Token
 * lifetime and restore-only mode are runtime settings.
 */
@ConfigurationProperties("smp")
@Validated
public record ManagementPointProperties(@DefaultValue @Valid Enrollment enrollment, @DefaultValue @Valid Ca ca) {

	/**
	 * @param maxFailures failed enrollments from one remote address that make it wait
	 * @param failureWindow within which those failures count, and how long the address then waits
	 */
	public record Enrollment(@DefaultValue("P7D") @NotNull Duration codeTtl,
			@DefaultValue("10") @Positive int maxFailures, @DefaultValue("PT15M") @NotNull Duration failureWindow) {
	}

	public record Ca(@DefaultValue("P30D") @NotNull Duration clientCertValidity) {
	}

}
