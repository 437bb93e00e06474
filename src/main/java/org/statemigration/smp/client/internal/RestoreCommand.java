package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import org.statemigration.smp.client.ExitCodes;

/**
 * {@code restore FILE}: asks for a state store for a restore, downloads it to FILE (resumed, checked against its
 * SHA-256, moved into place in one step) and releases the store, which makes the association {@code RESTORED}.
 */
@Command(name = "restore", mixinStandardHelpOptions = true, sortOptions = false,
		description = { "Restores the user state captured for this computer: asks the server for a state store "
				+ "(this computer must be the destination of an association), downloads it to FILE, checks its "
				+ "SHA-256 and releases the store. The download goes to a hidden partial file next to FILE "
				+ "(.FILE.<id>.part) and resumes where it stopped, also in a later run; FILE appears only once "
				+ "the whole store is there and verified. After the release the server deletes the data after "
				+ "its configured delay.", "",
				"With --print-key the association's encryption key is printed (standard output, alone on its "
						+ "line) once FILE is in place, for the user-state tool." },
		footer = { "", "Examples (a task sequence):",
				"  for /f %%%%k in ('smp.cmd restore --print-key C:\\USMT\\Store\\USMT\\USMT.MIG') ^",
				"      do set SMPKey=%%%%k",
				"  loadstate.exe C:\\USMT\\Store /i:MigDocs.xml /i:MigApp.xml ^",
				"      /decrypt:AES_256 /key:\"%%SMPKey%%\"", "",
				"  smp restore --key-file /run/smp.key --retries 10 --retry-delay PT30S state.mig", "",
				"Exit codes: 0 restored, 2 usage (no FILE, not enrolled), 3 not the destination of any association, "
						+ "4 refused (nothing captured yet, wrong state, blocked certificate), 5 network, "
						+ "6 integrity (wrong server, data not matching its SHA-256)." })
final class RestoreCommand implements Callable<Integer> {

	private final Output output;

	@Spec
	CommandSpec spec;

	@Parameters(index = "0", paramLabel = "FILE", description = "Where to put the restored file (USMT's .MIG).")
	Path file;

	@Mixin
	KeyOptions key;

	@Mixin
	IdentityOption identity;

	@Mixin
	RetryOptions retry;

	@Mixin
	RenewOption renewal;

	@Option(names = "--stall-timeout", paramLabel = "DURATION", defaultValue = "PT2M",
			converter = RetryOptions.DurationConverter.class,
			description = "A download that receives nothing for this long counts as failed, and is tried again "
					+ "from where it stopped (default: ${DEFAULT-VALUE}).")
	Duration stallTimeout;

	RestoreCommand(Output output) {
		this.output = output;
	}

	@Override
	public Integer call() throws IOException {
		if (Files.isDirectory(this.file)) {
			throw ClientFailure.usage(this.file + " is a folder; name the file to restore to");
		}
		Path folder = this.file.toAbsolutePath().getParent();
		if (folder != null && !Files.isDirectory(folder)) {
			throw ClientFailure.usage("The folder of " + this.file + " does not exist");
		}
		if (this.stallTimeout.isZero()) {
			throw ClientFailure.usage("--stall-timeout must be longer than zero");
		}
		Attempts attempts = this.retry.attempts(this.spec.commandLine(), this.output);
		Identity computer = this.renewal.renewedIfDue(Identity.load(this.identity.folder), attempts, this.output);
		ServerConnection connection = ServerConnection.of(computer);
		Grant grant = Grant.request(connection, attempts, "RESTORE");
		long size;
		try {
			Download download = new Download(connection, grant, attempts, this.output, this.stallTimeout);
			size = download.to(this.file);
			grant = download.grant();
		}
		catch (ClientFailure failure) {
			if (failure.exitCode() != ExitCodes.NETWORK) {
				grant.reportFailure(connection, "smp client restore: " + failure.getMessage());
			}
			throw failure;
		}
		grant.release(connection, attempts, this.output, Grant.Released.restored());
		this.key.hand(grant, this.output);
		this.output.info("Restored " + Progress.size(size) + " (" + size + " bytes) of association "
				+ grant.associationId() + " to " + this.file);
		return 0;
	}

}
