package org.statemigration.smp.client.internal;

import java.io.PrintWriter;
import java.lang.reflect.Constructor;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import org.statemigration.smp.client.ExitCodes;

/**
 * {@code smp client}: the command line of the client, its commands, and how failures become exit codes.
 */
@Command(name = "smp", mixinStandardHelpOptions = true, versionProvider = ClientCommand.Version.class,
		subcommands = { EnrollCommand.class, CaptureCommand.class, RestoreCommand.class, StatusCommand.class,
				RenewCommand.class, CommandLine.HelpCommand.class },
		description = { "Moves a computer's user state to and from an smp state migration point, for task "
				+ "sequences and operators.", "",
				"A computer enrolls once with a one-time code from an operator; the source then captures its "
						+ "user-state file and the destination restores it.", "",
				"Run as java -jar smp.jar client <command>, or through the launchers smp (POSIX) and smp.cmd "
						+ "(Windows, Windows PE). Results (a key, the status) go to standard output, messages and "
						+ "progress to standard error." },
		footer = { "", "Exit codes:", "  0  done", "  1  a local failure (e.g. a file that cannot be written)",
				"  2  usage: a wrong command line, a missing file, or not enrolled",
				"  3  no association for this computer", "  4  refused by the server (restore-only mode, "
						+ "storage, quota, state, a blocked or expired certificate, a wrong code)",
				"  5  network: the server could not be reached after every try",
				"  6  integrity: a digest mismatch or a wrong server fingerprint", "",
				"Examples:", "  smp enroll --server https://smp.example.com:8443 \\",
				"      --code E5GXF-JLBE8-CGWRR-62BDX --fingerprint 3A:1F:...:9C", "  smp capture C:\\USMT\\Store\\USMT\\USMT.MIG",
				"  smp restore --print-key C:\\USMT\\Store\\USMT\\USMT.MIG", "  smp status", "",
				"Run smp help <command> (or smp <command> --help) for its options." })
public final class ClientCommand implements Runnable {

	@Spec
	CommandSpec spec;

	@Override
	public void run() {
		throw new CommandLine.ParameterException(this.spec.commandLine(),
				"Missing command: enroll, capture, restore, status or renew");
	}

	/**
	 * Parses and runs a command line (without the leading {@code client}) and returns the exit code.
	 * @param terminal whether {@code err} is a terminal, where progress is redrawn on one line
	 */
	public static int execute(String[] args, PrintWriter out, PrintWriter err, boolean terminal) {
		Output output = new Output(out, err, terminal);
		CommandLine commandLine = new CommandLine(new ClientCommand(), new Factory(output));
		commandLine.setOut(out);
		commandLine.setErr(err);
		commandLine.setExecutionExceptionHandler((ex, line, parsed) -> {
			if (ex instanceof ClientFailure failure) {
				err.println("smp client: " + failure.getMessage());
				return failure.exitCode();
			}
			err.println("smp client: failed: " + ex);
			return ExitCodes.FAILED;
		});
		return commandLine.execute(args);
	}

	/** Gives commands the {@link Output} through their constructor. */
	private record Factory(Output output) implements CommandLine.IFactory {

		@Override
		public <K> K create(Class<K> type) throws Exception {
			for (Constructor<?> constructor : type.getDeclaredConstructors()) {
				if (constructor.getParameterCount() == 1 && constructor.getParameterTypes()[0] == Output.class) {
					constructor.setAccessible(true);
					return type.cast(constructor.newInstance(this.output));
				}
			}
			return CommandLine.defaultFactory().create(type);
		}

	}

	/** The version of the jar the client ships in. */
	static final class Version implements CommandLine.IVersionProvider {

		@Override
		public String[] getVersion() {
			String version = ClientCommand.class.getPackage().getImplementationVersion();
			return new String[] { "smp client " + ((version != null) ? version : "(development build)") };
		}

	}

}
