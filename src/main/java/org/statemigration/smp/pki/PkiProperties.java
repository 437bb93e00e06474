package org.statemigration.smp.pki;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Lifetimes of enrollment codes and client certificates, and the throttling of failed enrollments
 * ({@code smp.enrollment.*}, {@code smp.ca.*}).
 */
@ConfigurationProperties("smp")
@Validated
public record PkiProperties(@DefaultValue @Valid Enrollment enrollment, @DefaultValue @Valid Ca ca) {

	/**
	 * @param codeTtl lifetime of an enrollment code, one minute to 90 days
	 * @param maxFailures failed enrollments from one remote address that make it wait
	 * @param failureWindow within which those failures count, and how long the address then waits (one second to
	 * one day)
	 */
	public record Enrollment(@DefaultValue("P7D") @NotNull @DurationMin(minutes = 1) @DurationMax(days = 90) Duration codeTtl,
			@DefaultValue("10") @Positive @Max(10_000) int maxFailures,
			@DefaultValue("PT15M") @NotNull @DurationMin(seconds = 1) @DurationMax(days = 1) Duration failureWindow) {
	}

	/**
	 * @param clientCertValidity lifetime of an issued client certificate, one hour to ten years
	 */
	public record Ca(@DefaultValue("P30D") @NotNull @DurationMin(hours = 1) @DurationMax(days = 3650) Duration clientCertValidity) {
	}

}
