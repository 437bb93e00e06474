package org.statemigration.smp.client.internal;

import java.time.Duration;

import picocli.CommandLine.Option;

/**
 * {@code --renew-before DURATION}: how long before its expiry a command renews the computer's certificate.
 */
final class RenewOption {

	@Option(names = "--renew-before", paramLabel = "DURATION", converter = RetryOptions.DurationConverter.class,
			description = "Renew the certificate first when it expires within this time (default: a third of its "
					+ "lifetime or 7 days, whichever is smaller).")
	Duration renewBefore;

	/** The identity to use: the given one, or a renewed one if it is due. */
	Identity renewedIfDue(Identity identity, Attempts attempts, Output output) {
		return Renewal.renewIfDue(identity, this.renewBefore, attempts, output);
	}

}
