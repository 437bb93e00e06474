package org.statemigration.smp.client;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Arrays;

import org.statemigration.smp.client.internal.ClientCommand;

/**
 * Entry point of the command-line client: {@code java -jar smp.jar client <command> [options]}. Dispatched from
 * the application's {@code main} before any Spring context starts.
 */
public final class SmpClient {

	private SmpClient() {
	}

	/** True if the arguments ask for the client rather than the server. */
	public static boolean handles(String[] args) {
		return args.length > 0 && args[0].equals("client");
	}

	/**
	 * Runs the client with the process's standard streams and returns its exit code (see {@link ExitCodes}).
	 * @param args the command line, starting with {@code client}
	 */
	public static int run(String[] args) {
		return run(args, System.out, System.err, System.console() != null);
	}

	/**
	 * Runs the client and returns its exit code (see {@link ExitCodes}).
	 * @param args the command line, starting with {@code client}
	 * @param out where results go (the key with {@code --print-key}, the status)
	 * @param err where messages and progress go
	 * @param terminal whether {@code err} is a terminal, so that progress is redrawn on one line
	 */
	public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
		// the launchers always add "client"; a user may have written it too
		int start = 0;
		while (start < args.length && args[start].equals("client")) {
			start++;
		}
		String[] commandLine = Arrays.copyOfRange(args, start, args.length);
		PrintWriter outWriter = new PrintWriter(out, true);
		PrintWriter errWriter = new PrintWriter(err, true);
		try {
			return ClientCommand.execute(commandLine, outWriter, errWriter, terminal);
		}
		finally {
			outWriter.flush();
			errWriter.flush();
		}
	}

}
