package org.statemigration.smp.settings;

import java.time.Duration;

/** What an operator changes; null leaves a setting as it is. */
public record SettingsChange(Duration deleteAfter, Boolean restoreOnlyMode, Long maxStoreSizeBytes,
		Duration uploadExpiry, Duration tokenTtl) {
}
