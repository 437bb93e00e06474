package org.statemigration.smp.managementpoint;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Lifetimes of enrollment codes and client certificates ({@code smp.enrollment.*}, {@code smp.ca.*}). Token
 * lifetime and restore-only mode are runtime settings.
 */
@ConfigurationProperties("smp")
@Validated
public record ManagementPointProperties(@DefaultValue @Valid Enrollment enrollment, @DefaultValue @Valid Ca ca) {

	public record Enrollment(@DefaultValue("P7D") @NotNull Duration codeTtl) {
	}

	public record Ca(@DefaultValue("P30D") @NotNull Duration clientCertValidity) {
	}

}
