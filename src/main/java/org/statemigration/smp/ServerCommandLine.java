package org.statemigration.smp;

import java.io.PrintStream;
import java.util.List;

/**
 * What the jar says about itself: {@code --help} (or {@code -h}, {@code help}) prints the usage of the server and of
 * the commands the jar also is, {@code --version} (or {@code -V}, {@code version}) prints smp's version, and a word
 * that is no command is refused, all without starting anything or writing a file. Dispatched from the
 * application's {@code main} before any Spring context starts.
 */
final class ServerCommandLine {

	static final int DONE = 0;

	static final int USAGE = 2;

	private static final List<String> HELP = List.of("--help", "-h", "help");

	private static final List<String> VERSION = List.of("--version", "-V", "version");

	static final String USAGE_TEXT = """
			usage: java -jar smp.jar [--name=value ...]            start the server
			       java -jar smp.jar <command> [options]          run a command and exit
			       java -jar smp.jar --help | --version

			Commands:
			  client <enroll|capture|restore|status|renew> ...  the command-line client of computers
			                                  (java -jar smp.jar client --help)
			  keys rotate|status              rotate the master key, or show its versions
			  verify [--store ID]             check every committed state store whole
			  backup --to DIR [--include-keys] [--passphrase-file FILE]
			                                  back up the database, the state stores and the audit file
			  restore-backup --from DIR [--passphrase-file FILE]
			                                  restore one into an empty data folder and database

			The server and the commands keys, verify, backup and restore-backup read the same settings, each given
			as --name=value on the command line, in an application.yml next to the jar, or as an environment
			variable (SMP_DATA_DIR for smp.data-dir). Common ones:
			  --server.port=8443              the HTTPS port
			  --smp.data-dir=./data           the data folder: keys, TLS files, the embedded database, the
			                                  default storage folder; one server at a time per folder
			  --spring.config.additional-location=FILE
			                                  a configuration file of your own (see deploy/application.yml.example)
			  --spring.datasource.url=jdbc:postgresql://HOST:5432/smp
			  --spring.datasource.username=smp --spring.datasource.password=...
			                                  PostgreSQL instead of the embedded H2 database
			  --smp.storage.folders[0].location=DIR
			                                  where state stores are kept (default <data-dir>/stores)

			Documentation: README.md and docs/operations.md (settings), docs/cli.md (the client).""";

	private ServerCommandLine() {
	}

	/** True if the arguments ask for the usage or the version, or start with a word that is no command. */
	static boolean handles(String[] args) {
		if (args.length > 0 && !args[0].startsWith("-")) {
			return true;
		}
		for (String arg : args) {
			if (HELP.contains(arg) || VERSION.contains(arg)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Prints what the arguments ask for and returns the exit code: {@value #DONE}, or {@value #USAGE} for a word that
	 * is no command.
	 */
	static int run(String[] args, PrintStream out, PrintStream err) {
		for (String arg : args) {
			if (HELP.contains(arg)) {
				out.println(USAGE_TEXT);
				return DONE;
			}
		}
		for (String arg : args) {
			if (VERSION.contains(arg)) {
				out.println("smp " + version());
				return DONE;
			}
		}
		err.println("smp: unknown command '" + args[0] + "'");
		err.println(USAGE_TEXT);
		return USAGE;
	}

	/** The version the build recorded in the jar's manifest. */
	static String version() {
		String version = ServerCommandLine.class.getPackage().getImplementationVersion();
		return (version != null) ? version : "(development build)";
	}

}
