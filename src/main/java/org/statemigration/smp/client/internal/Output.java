package org.statemigration.smp.client.internal;

import java.io.PrintWriter;

/**
 * Where the client writes: results (the key with {@code --print-key}, the status) on standard output, so that a
 * task sequence can capture them alone; messages and progress on standard error.
 */
final class Output {

	private final PrintWriter out;

	private final PrintWriter err;

	private final boolean terminal;

	Output(PrintWriter out, PrintWriter err, boolean terminal) {
		this.out = out;
		this.err = err;
		this.terminal = terminal;
	}

	void result(String line) {
		this.out.println(line);
		this.out.flush();
	}

	void info(String line) {
		this.err.println(line);
		this.err.flush();
	}

	Progress progress(String label, long total) {
		return new Progress(this.err, this.terminal, label, total);
	}

}
