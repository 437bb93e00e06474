package org.statemigration.smp.managementpoint;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits of concurrent state store transfers ({@code smp.transfers.*}).
 * @param maxConcurrent most uploads and downloads at once on this server; 0 derives it from the heap (a quarter of
 * the heap at {@link TransferSlots#MEMORY_PER_TRANSFER} each, at least 2, at most 256)
 * @param retryAfter what a refused transfer is told to wait before trying again
 * @param maxWaiting most transfers that wait for a slot instead of being refused at once; 0 (the default) refuses
 * every transfer over {@code maxConcurrent}. A waiting transfer has not read its body (an upload's
 * {@code 100 Continue} waits with it) and holds no transfer buffers, but holds a request thread of Tomcat's and its
 * request's state, so keep it well below {@code server.tomcat.threads.max}; at most a quarter of the heap's worth
 * wait ({@link TransferSlots#MEMORY_PER_WAITING} each) whatever is set
 * @param maxWait how long a transfer waits for a slot before it is refused
 */
@ConfigurationProperties("smp.transfers")
@Validated
public record TransferProperties(@DefaultValue("0") @PositiveOrZero @Max(10_000) int maxConcurrent,
		@DefaultValue("PT10S") @NotNull @DurationMin(seconds = 1) @DurationMax(hours = 1) Duration retryAfter,
		@DefaultValue("0") @PositiveOrZero @Max(10_000) int maxWaiting,
		@DefaultValue("PT30S") @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 10) Duration maxWait) {
}
