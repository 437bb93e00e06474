package org.statemigration.smp.client.internal;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code renew}: renews the computer's certificate now, with a new key pair.
 */
@Command(name = "renew", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Renews this computer's certificate now: makes a new key pair, sends a certificate "
				+ "signing request with the current certificate and keeps the new key and certificate in the "
				+ "identity folder. The previous certificate keeps working until it expires. capture, restore "
				+ "and status renew by themselves when the certificate is about to expire (--renew-before).", "",
				"An expired certificate cannot renew: enroll again with a new code." },
		footer = { "", "Examples:", "  smp renew", "  smp renew --identity %%_SMSTSMDataPath%%\\smp", "",
				"Exit codes: 0 renewed, 2 not enrolled, 4 refused (expired or blocked certificate), 5 network, "
						+ "6 wrong server." })
final class RenewCommand implements Callable<Integer> {

	private final Output output;

	@Spec
	CommandSpec spec;

	@Mixin
	IdentityOption identity;

	@Mixin
	RetryOptions retry;

	RenewCommand(Output output) {
		this.output = output;
	}

	@Override
	public Integer call() {
		Attempts attempts = this.retry.attempts(this.spec.commandLine(), this.output);
		Renewal.renew(Identity.load(this.identity.folder), attempts, this.output);
		return 0;
	}

}
