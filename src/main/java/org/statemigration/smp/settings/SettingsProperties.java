package org.statemigration.smp.settings;

import java.time.Duration;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMax;
import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The configured defaults of the runtime settings ({@code smp.retention.delete-after},
 * {@code smp.retention.allow-immediate-delete}, {@code smp.restore-only-mode}, {@code smp.quota.max-store-size},
 * {@code smp.upload.expiry}, {@code smp.token.ttl}). A value outside the bounds of its setting (the same as
 * for a change through the API, see {@link SettingBounds}) stops the server at start.
 */
@ConfigurationProperties("smp")
@Validated
public record SettingsProperties(@DefaultValue @Valid Retention retention,
		@DefaultValue("false") boolean restoreOnlyMode, @DefaultValue @Valid Quota quota,
		@DefaultValue @Valid Upload upload, @DefaultValue @Valid Token token) {

	public record Retention(
			@DefaultValue("P1D") @NotNull @DurationMin(seconds = 0)
			@DurationMax(days = SettingBounds.MAX_DELETE_AFTER_DAYS) Duration deleteAfter,
			@DefaultValue("false") boolean allowImmediateDelete) {

		/** A delay below one hour deletes restored data (almost) at once: only with the explicit allowance. */
		@AssertTrue(message = "smp.retention.delete-after below PT1H needs smp.retention.allow-immediate-delete=true")
		public boolean isDeleteAfterSafeOrAllowed() {
			return this.deleteAfter == null || this.allowImmediateDelete
					|| !SettingBounds.needsImmediateDeleteAllowance(this.deleteAfter);
		}

	}

	public record Quota(@DefaultValue("100GB") @NotNull DataSize maxStoreSize) {

		@AssertTrue(message = "smp.quota.max-store-size must be between 1B and 16TB")
		public boolean isMaxStoreSizeWithinBounds() {
			return this.maxStoreSize == null || (this.maxStoreSize.toBytes() >= SettingBounds.MIN_STORE_SIZE_BYTES
					&& this.maxStoreSize.toBytes() <= SettingBounds.MAX_STORE_SIZE_BYTES);
		}

	}

	public record Upload(@DefaultValue("PT24H") @NotNull @DurationMin(minutes = SettingBounds.MIN_UPLOAD_EXPIRY_MINUTES)
	@DurationMax(days = SettingBounds.MAX_UPLOAD_EXPIRY_DAYS) Duration expiry) {
	}

	public record Token(@DefaultValue("PT4H") @NotNull @DurationMin(seconds = SettingBounds.MIN_TOKEN_TTL_SECONDS)
	@DurationMax(days = SettingBounds.MAX_TOKEN_TTL_DAYS) Duration ttl) {
	}

	RuntimeSettings defaults() {
		return new RuntimeSettings(this.retention.deleteAfter(), this.restoreOnlyMode,
				this.quota.maxStoreSize().toBytes(), this.upload.expiry(), this.token.ttl());
	}

}
