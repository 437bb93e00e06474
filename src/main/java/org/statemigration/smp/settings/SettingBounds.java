package org.statemigration.smp.settings;

import java.time.Duration;

import org.statemigration.smp.problem.ValidationException;

/**
 * The bounds of every runtime setting, the same for its configuration property at start and for a change through
 * the API. Each upper bound keeps the arithmetic that uses the setting (an expiry instant, a token's {@code exp},
 * a reservation) far from overflow and from what a database timestamp can hold; each lower bound refuses values
 * that would make the server unusable.
 */
final class SettingBounds {

	/** Below this delay, deleting restored data needs {@code smp.retention.allow-immediate-delete=true}. */
	static final long SAFE_DELETE_AFTER_HOURS = 1;

	static final long MAX_DELETE_AFTER_DAYS = 3650;

	static final long MIN_TOKEN_TTL_SECONDS = 1;

	static final long MAX_TOKEN_TTL_DAYS = 1;

	static final long MIN_UPLOAD_EXPIRY_MINUTES = 1;

	static final long MAX_UPLOAD_EXPIRY_DAYS = 30;

	static final long MIN_STORE_SIZE_BYTES = 1;

	/** 16 TiB: far above the largest user state, far below what sums of reservations could overflow. */
	static final long MAX_STORE_SIZE_BYTES = 16L * 1024 * 1024 * 1024 * 1024;

	static final Duration SAFE_DELETE_AFTER = Duration.ofHours(SAFE_DELETE_AFTER_HOURS);

	private SettingBounds() {
	}

	static void checkDeleteAfter(Duration value) {
		within("deleteAfter", value, Duration.ZERO, Duration.ofDays(MAX_DELETE_AFTER_DAYS));
	}

	static void checkTokenTtl(Duration value) {
		within("tokenTtl", value, Duration.ofSeconds(MIN_TOKEN_TTL_SECONDS), Duration.ofDays(MAX_TOKEN_TTL_DAYS));
	}

	static void checkUploadExpiry(Duration value) {
		within("uploadExpiry", value, Duration.ofMinutes(MIN_UPLOAD_EXPIRY_MINUTES),
				Duration.ofDays(MAX_UPLOAD_EXPIRY_DAYS));
	}

	static void checkMaxStoreSize(long bytes) {
		if (bytes < MIN_STORE_SIZE_BYTES || bytes > MAX_STORE_SIZE_BYTES) {
			throw new ValidationException("maxStoreSizeBytes must be between " + MIN_STORE_SIZE_BYTES + " and "
					+ MAX_STORE_SIZE_BYTES + " (16 TiB)");
		}
	}

	/** Whether a delete-after delay is short enough to need the unsafe allowance. */
	static boolean needsImmediateDeleteAllowance(Duration deleteAfter) {
		return deleteAfter.compareTo(SAFE_DELETE_AFTER) < 0;
	}

	private static void within(String name, Duration value, Duration min, Duration max) {
		if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
			throw new ValidationException(name + " must be between " + min + " and " + max);
		}
	}

}
