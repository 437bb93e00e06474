package org.statemigration.smp.console.web;

import java.util.Locale;

import org.statemigration.smp.store.FolderUsage;

/**
 * A storage folder's space as a bar: stored data, space reserved for running uploads, space still available for
 * captures, and the minimum free space that is never filled. Each segment is a start and a width in percent of the
 * folder's space (stored plus free), drawn as SVG rectangles: the console's policy allows no inline style.
 */
public record CapacityBar(FolderUsage folder, String usedX, String usedWidth, String reservedX, String reservedWidth,
		String availableX, String availableWidth, String minimumX, String minimumWidth, long availableBytes) {

	static CapacityBar of(FolderUsage folder) {
		long used = Math.max(0, folder.usedBytes());
		long free = Math.max(0, folder.freeBytes());
		long total = used + free;
		long reserved = Math.min(Math.max(0, folder.reservedBytes()), free);
		long minimum = Math.min(Math.max(0, folder.minFreeBytes()), free - reserved);
		long available = free - reserved - minimum;
		double u = share(used, total);
		double r = share(reserved, total);
		double a = share(available, total);
		double m = share(minimum, total);
		return new CapacityBar(folder, pct(0), pct(u), pct(u), pct(r), pct(u + r), pct(a), pct(u + r + a), pct(m),
				available);
	}

	private static double share(long part, long total) {
		return (total > 0) ? part * 100.0 / total : 0;
	}

	private static String pct(double value) {
		return String.format(Locale.ROOT, "%.2f%%", value);
	}

}
