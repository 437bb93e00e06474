package org.statemigration.smp.client.internal;

import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --retries} and {@code --retry-delay}: how often and how far apart a step that failed on the network (or
 * with a server error that is not a refusal) is tried.
 */
final class RetryOptions {

	@Option(names = "--retries", paramLabel = "N", defaultValue = "3",
			description = "Tries of each step before giving up with exit code 5 (default: ${DEFAULT-VALUE}). A "
					+ "transfer that made progress starts counting again.")
	int tries;

	@Option(names = "--retry-delay", paramLabel = "DURATION", defaultValue = "PT60S", converter = DurationConverter.class,
			description = "Wait between tries: ISO-8601 (PT60S, PT0.5S) or seconds with a unit (60s, 500ms) "
					+ "(default: ${DEFAULT-VALUE}).")
	Duration delay;

	Attempts attempts(CommandLine commandLine, Output output) {
		if (this.tries < 1) {
			throw new CommandLine.ParameterException(commandLine, "--retries must be at least 1");
		}
		return new Attempts(this.tries, this.delay, output);
	}

	/** ISO-8601 durations, or a number of seconds or milliseconds. */
	static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

		@Override
		public Duration convert(String value) {
			String text = value.strip().toLowerCase(Locale.ROOT);
			Duration duration;
			try {
				if (text.startsWith("p")) {
					duration = Duration.parse(text.toUpperCase(Locale.ROOT));
				}
				else if (text.endsWith("ms")) {
					duration = Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
				}
				else {
					duration = Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
				}
			}
			catch (RuntimeException ex) {
				throw new CommandLine.TypeConversionException("'" + value + "' is not a duration (PT60S, 60s, 500ms)");
			}
			if (duration.isNegative()) {
				throw new CommandLine.TypeConversionException("'" + value + "' is negative");
			}
			return duration;
		}

	}

}
