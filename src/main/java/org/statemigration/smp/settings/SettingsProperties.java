package org.statemigration.smp.settings;

import java.time.Duration;

import jakarta.validation.Valid;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The configured defaults of the runtime settings ({@code smp.retention.delete-after},
 * {@code smp.retention.allow-immediate-delete}, {@code smp.restore-only-mode}, {@code smp.quota.max-store-size},
 * {@code smp.upload.expiry}, {@code smp.token.ttl}).
 */
@ConfigurationProperties("smp")
@Validated
public record SettingsProperties(@DefaultValue @Valid Retention retention,
		@DefaultValue("false") boolean restoreOnlyMode, @DefaultValue @Valid Quota quota,
		@DefaultValue @Valid Upload upload, @DefaultValue @Valid Token token) {

	public record Retention(@DefaultValue("P1D") Duration deleteAfter,
			@DefaultValue("false") boolean allowImmediateDelete) {
	}

	public record Quota(@DefaultValue("100GB") DataSize maxStoreSize) {
	}

	public record Upload(@DefaultValue("PT24H") Duration expiry) {
	}

	public record Token(@DefaultValue("PT4H") Duration ttl) {
	}

	RuntimeSettings defaults() {
		return new RuntimeSettings(this.retention.deleteAfter(), this.restoreOnlyMode,
				this.quota.maxStoreSize().toBytes(), this.upload.expiry(), this.token.ttl());
	}

}
