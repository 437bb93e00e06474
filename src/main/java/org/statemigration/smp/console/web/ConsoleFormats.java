package org.statemigration.smp.console.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.statemigration.smp.association.MigrationType;
import org.statemigration.smp.association.UserAccountMode;
import org.statemigration.smp.audit.AuditEvent;

/**
 * How the console writes times, durations and sizes: UTC times, binary units, and the ISO-8601 durations of the API
 * with a reading aid.
 */
public final class ConsoleFormats {

	static final ConsoleFormats INSTANCE = new ConsoleFormats();

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'", Locale.ROOT)
		.withZone(ZoneOffset.UTC);

	private static final String[] UNITS = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };

	private static final int MAX_DETAIL = 120;

	// the audit actions of a released capture and a confirmed restore, as the API documents them
	private static final String CAPTURE_COMPLETED = "capture.complete";

	private static final String RESTORE_CONFIRMED = "restore.confirm";

	private ConsoleFormats() {
	}

	public String time(Instant instant) {
		return (instant != null) ? TIME.format(instant) : "";
	}

	/** The machine-readable form for a {@code <time datetime>} attribute. */
	public String iso(Instant instant) {
		return (instant != null) ? instant.toString() : "";
	}

	public String size(Long bytes) {
		if (bytes == null) {
			return "";
		}
		double value = bytes;
		int unit = 0;
		while (value >= 1024 && unit < UNITS.length - 1) {
			value /= 1024;
			unit++;
		}
		return (unit == 0) ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
	}

	/**
	 * A size as the settings take it back: with the largest unit that divides it exactly ({@code 100GB}; the
	 * units are binary, 1GB = 1 GiB, as the parser of the settings reads them), else in bytes.
	 */
	public String setting(long bytes) {
		String[] units = { "TB", "GB", "MB", "KB" };
		for (int i = 0; i < units.length; i++) {
			long unit = 1L << (10 * (units.length - i));
			if (bytes != 0 && bytes % unit == 0) {
				return (bytes / unit) + units[i];
			}
		}
		return Long.toString(bytes);
	}

	/** What a migration type means, in words. */
	public String migrationType(MigrationType type) {
		if (type == null) {
			return "";
		}
		return switch (type) {
			case SIDE_BY_SIDE -> "Side by side";
			case IN_PLACE -> "In place";
		};
	}

	/** What a user-account mode migrates, in words. */
	public String accountMode(UserAccountMode mode) {
		if (mode == null) {
			return "";
		}
		return switch (mode) {
			case CAPTURE_ALL_RESTORE_ALL -> "Capture all, restore all";
			case CAPTURE_ALL_RESTORE_SPECIFIED -> "Capture all, restore the accounts listed";
			case CAPTURE_SPECIFIED_RESTORE_SPECIFIED -> "Capture and restore the accounts listed";
		};
	}

	/** {@code P1D (1 day)}, {@code PT4H (4 hours)}. */
	public String duration(Duration duration) {
		if (duration == null) {
			return "";
		}
		return iso(duration) + " (" + words(duration) + ")";
	}

	/** ISO-8601 as people write it: {@code P1D} rather than the JDK's {@code PT24H}. */
	public String iso(Duration duration) {
		long seconds = duration.getSeconds();
		if (!duration.isZero() && duration.getNano() == 0 && seconds % 86_400 == 0) {
			return "P" + (seconds / 86_400) + "D";
		}
		return duration.toString();
	}

	private static String words(Duration duration) {
		if (duration.isZero()) {
			return "immediately";
		}
		long seconds = duration.getSeconds();
		if (seconds % 86_400 == 0) {
			return plural(seconds / 86_400, "day");
		}
		if (seconds % 3_600 == 0) {
			return plural(seconds / 3_600, "hour");
		}
		if (seconds % 60 == 0) {
			return plural(seconds / 60, "minute");
		}
		return plural(seconds, "second");
	}

	private static String plural(long count, String unit) {
		return count + " " + unit + ((count == 1) ? "" : "s");
	}

	/**
	 * What an audit event says, in words: a capture or a restore as the computers and the size it moved
	 * ({@code 4.8 GiB from OLD-PC for NEW-PC}), any other event its detail, cut short.
	 */
	public String activity(AuditEvent event) {
		if (event == null) {
			return "";
		}
		String action = event.action();
		if (CAPTURE_COMPLETED.equals(action) || RESTORE_CONFIRMED.equals(action)) {
			Map<String, String> fields = fields(event.detail());
			String size = fields.get("sizeBytes");
			String what = (size != null && size.matches("[0-9]{1,19}")) ? size(Long.parseLong(size)) : "data";
			return (CAPTURE_COMPLETED.equals(action) ? "Captured " : "Restored ") + what + " from "
					+ fields.getOrDefault("source", "?")
					+ (CAPTURE_COMPLETED.equals(action) ? " for " : " onto ")
					+ fields.getOrDefault("destination", "?");
		}
		String detail = (event.detail() != null) ? event.detail() : "";
		return (detail.length() > MAX_DETAIL) ? detail.substring(0, MAX_DETAIL) + "\u2026" : detail;
	}

	/** The {@code name=value} words of an event's detail. */
	private static Map<String, String> fields(String detail) {
		Map<String, String> fields = new HashMap<>();
		if (detail != null) {
			for (String word : detail.split(" ")) {
				int equals = word.indexOf('=');
				if (equals > 0) {
					fields.putIfAbsent(word.substring(0, equals), word.substring(equals + 1));
				}
			}
		}
		return fields;
	}

	/** How many pages of {@code size} items {@code total} items fill; at least one. */
	public long pages(long total, int size) {
		return Math.max(1, (total + size - 1) / Math.max(1, size));
	}

	/** A percentage of a whole, 0-100, for capacity bars drawn without inline styles. */
	public long percent(long part, long whole) {
		if (whole <= 0 || part <= 0) {
			return 0;
		}
		return Math.min(100, Math.round(part * 100.0 / whole));
	}

}
