package org.statemigration.smp.client.internal;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of a transfer: bytes, rate and time left. On a terminal one line is redrawn a few times a second; in a
 * log (a task sequence's) a plain line is written at every tenth of the way, at most.
 */
final class Progress {

	private static final long REDRAW_NANOS = 250_000_000L;

	private final PrintWriter err;

	private final boolean terminal;

	private final String label;

	private final long total;

	private final long startNanos = System.nanoTime();

	private long startPosition = -1;

	private long lastDrawNanos;

	private int lastTenth = -1;

	private int lastLineLength;

	Progress(PrintWriter err, boolean terminal, String label, long total) {
		this.err = err;
		this.terminal = terminal;
		this.label = label;
		this.total = total;
	}

	/** The transfer stands at this many bytes of the total (it may go back, after a failure). */
	synchronized void at(long position) {
		if (this.startPosition < 0) {
			this.startPosition = position;
		}
		long now = System.nanoTime();
		if (this.terminal) {
			if (now - this.lastDrawNanos >= REDRAW_NANOS || position == this.total) {
				this.lastDrawNanos = now;
				String line = line(position, now);
				this.err.print("\r" + line + " ".repeat(Math.max(0, this.lastLineLength - line.length())));
				this.err.flush();
				this.lastLineLength = line.length();
			}
			return;
		}
		int tenth = (this.total > 0) ? (int) (position * 10 / this.total) : 10;
		if (tenth > this.lastTenth) {
			this.lastTenth = tenth;
			this.err.println(line(position, now));
			this.err.flush();
		}
	}

	/** Ends the progress line on a terminal, so that the next message starts on a line of its own. */
	synchronized void done() {
		if (this.terminal && this.lastLineLength > 0) {
			this.err.println();
			this.err.flush();
			this.lastLineLength = 0;
		}
	}

	private String line(long position, long now) {
		double seconds = (now - this.startNanos) / 1e9;
		long moved = position - Math.max(0, this.startPosition);
		double rate = (seconds > 0.2 && moved > 0) ? moved / seconds : 0;
		int percent = (this.total > 0) ? (int) (position * 100 / this.total) : 100;
		StringBuilder line = new StringBuilder(this.label).append(' ')
			.append(size(position))
			.append(" / ")
			.append(size(this.total))
			.append(String.format(Locale.ROOT, " (%d%%)", percent));
		if (rate > 0) {
			line.append(", ").append(size((long) rate)).append("/s");
			if (position < this.total) {
				line.append(", ").append(duration((long) ((this.total - position) / rate))).append(" left");
			}
		}
		return line.toString();
	}

	static String size(long bytes) {
		if (bytes < 1024) {
			return bytes + " B";
		}
		String[] units = { "KiB", "MiB", "GiB", "TiB" };
		double value = bytes;
		int unit = -1;
		while (value >= 1024 && unit < units.length - 1) {
			value /= 1024;
			unit++;
		}
		return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
	}

	private static String duration(long seconds) {
		return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, (seconds / 60) % 60, seconds % 60);
	}

}
