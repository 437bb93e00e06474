package org.statemigration.smp.resilience;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** What a server process wrote to its log: the lines that show a stack trace or an exhausted heap. */
final class ServerLog {

	private ServerLog() {
	}

	/** Stack frames, "Caused by" lines and OutOfMemoryErrors, each with the log line it belongs to. */
	static List<String> stackTraces(Path log) throws IOException {
		List<String> lines;
		try (Stream<String> all = Files.lines(log)) {
			lines = all.toList();
		}
		java.util.ArrayList<String> found = new java.util.ArrayList<>();
		String logged = "";
		for (int i = 0; i < lines.size(); i++) {
			String line = lines.get(i);
			if (!line.isEmpty() && Character.isDigit(line.charAt(0))) {
				logged = line;
			}
			if (line.startsWith("\tat ") || line.startsWith("Caused by:") || line.contains("OutOfMemoryError")) {
				// the log line the trace belongs to (which logger, which request), then the offending line
				found.add(logged + " / " + line);
			}
		}
		return found;
	}

}
