package org.statemigration.smp.config;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * How large request bodies may be, how long they may take, and how many requests without credentials and
 * connections there may be at once ({@code smp.http.*}). They keep hostile or slow clients from holding the memory
 * and threads that everyone else needs. (The console's forms are bounded by Boot's
 * {@code server.tomcat.max-http-form-post-size}.)
 * @param maxJsonBody the largest body of any request that is not a state store upload (every JSON endpoint, the
 * anonymous enrollment included): the largest legitimate one, an enrollment with a CSR, is a few kilobytes
 * @param bodyTimeout the whole body of a request other than a state store transfer must arrive within this time
 * from the start of the request (as nginx's {@code client_body_timeout}, but for the whole body)
 * @param minTransferRate a state store transfer whose client sends less than this per second, measured over
 * {@code transferRateWindow} of waiting for its bytes, is cut off
 * @param transferRateWindow the time over which a transfer's rate is measured
 * @param maxAnonymousPerAddress most requests without credentials running at once from one remote address
 * @param maxAnonymous most requests without credentials running at once from all addresses
 * @param maxConnections most open connections; 0 derives it from the heap (a quarter of it at 96 KiB each, at
 * least 100, at most 8192)
 * @param maxImportBody the largest bulk import file (a CSV of associations, on the API or the console), which is
 * streamed; larger ones get 413
 */
@ConfigurationProperties("smp.http")
@Validated
public record HttpLimitsProperties(@DefaultValue("64KB") @NotNull DataSize maxJsonBody,
		@DefaultValue("PT10S") @NotNull @DurationMin(seconds = 1) @DurationMax(minutes = 10) Duration bodyTimeout,
		@DefaultValue("4KB") @NotNull DataSize minTransferRate,
		@DefaultValue("PT60S") @NotNull @DurationMin(seconds = 5) @DurationMax(hours = 1) Duration transferRateWindow,
		@DefaultValue("8") @Positive @Max(10_000) int maxAnonymousPerAddress,
		@DefaultValue("64") @Positive @Max(100_000) int maxAnonymous,
		@DefaultValue("0") @PositiveOrZero @Max(100_000) int maxConnections,
		@DefaultValue("10MB") @NotNull DataSize maxImportBody) {
}
