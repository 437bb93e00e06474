package org.statemigration.smp.backup.internal;

import java.io.PrintStream;
import java.util.Locale;

/**
 * What a command tells while it works: on a terminal, one bar redrawn in place; otherwise (a script, a log) a plain
 * line per step and per tenth of the bytes, never a carriage return.
 */
public final class Progress implements BackupProgress {

	private static final int WIDTH = 30;

	private final PrintStream out;

	private final boolean terminal;

	private String phase = "";

	private long total;

	private long done;

	private int lastTenth = -1;

	public Progress(PrintStream out, boolean terminal) {
		this.out = out;
		this.terminal = terminal;
	}

	/** Says a line, ending any bar being drawn. */
	@Override
	public synchronized void say(String line) {
		if (this.terminal && this.total > 0) {
			this.out.print("\r" + " ".repeat(WIDTH + 40) + "\r");
		}
		this.out.println(line);
	}

	/** Starts a phase of {@code total} bytes. */
	@Override
	public synchronized void start(String phase, long total) {
		this.phase = phase;
		this.total = total;
		this.done = 0;
		this.lastTenth = -1;
		if (!this.terminal) {
			this.out.println(phase + ": " + mib(total) + " to go");
		}
		draw();
	}

	@Override
	public synchronized void advance(long bytes) {
		this.done += bytes;
		draw();
	}

	/** Ends the phase. */
	@Override
	public synchronized void finish() {
		if (this.terminal && this.total > 0) {
			this.out.println();
		}
		else if (!this.terminal) {
			this.out.println(this.phase + ": done, " + mib(this.done));
		}
		this.total = 0;
	}

	private void draw() {
		if (this.total <= 0) {
			return;
		}
		int percent = (int) Math.min(100, this.done * 100 / this.total);
		if (this.terminal) {
			int filled = percent * WIDTH / 100;
			this.out.print("\r" + this.phase + " [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
					+ String.format(Locale.ROOT, "%3d%% %s", percent, mib(this.done)));
			this.out.flush();
		}
		else if (percent / 10 > this.lastTenth && percent < 100) {
			this.lastTenth = percent / 10;
			this.out.println(this.phase + ": " + percent + "% (" + mib(this.done) + ")");
		}
	}

	static String mib(long bytes) {
		return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
	}

}
