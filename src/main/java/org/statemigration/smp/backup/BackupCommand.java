package org.statemigration.smp.backup;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.statemigration.smp.backup.internal.BackupOptions;
import org.statemigration.smp.backup.internal.BackupRun;
import org.statemigration.smp.backup.internal.RestoreRun;

/**
 * The {@code backup} and {@code restore-backup} command lines:
 * {@code java -jar smp.jar backup --to DIR [--include-keys [--passphrase-file FILE]] [--name=value ...]} and
 * {@code java -jar smp.jar restore-backup --from DIR [--passphrase-file FILE] [--name=value ...]}. Each starts the
 * application without a web server and without scheduled jobs, with the same configuration as the server, does its
 * work, and ends with an exit code a script can trust: {@value #DONE} done, {@value #FAILED} failed,
 * {@value #USAGE} usage, {@value #REFUSED} the backup was refused (damaged, incomplete, from a newer schema, or its
 * keys not opened by the passphrase or the master key at hand), and nothing was changed.
 */
public final class BackupCommand {

	public static final int DONE = 0;

	public static final int FAILED = 1;

	public static final int USAGE = 2;

	public static final int REFUSED = 3;

	static final String BACKUP = "backup";

	static final String RESTORE = "restore-backup";

	private static final String USAGE_TEXT = """
			usage: java -jar smp.jar backup --to DIR [--include-keys] [--passphrase-file FILE] [--name=value ...]
			       java -jar smp.jar restore-backup --from DIR [--passphrase-file FILE] [--name=value ...]
			The passphrase of the keys comes from --passphrase-file, the environment variable SMP_BACKUP_PASSPHRASE,
			or a prompt on a terminal; never from the command line.""";

	private BackupCommand() {
	}

	/** True if the arguments ask for one of these commands rather than the server. */
	public static boolean handles(String[] args) {
		return args.length > 0 && (args[0].equals(BACKUP) || args[0].equals(RESTORE));
	}

	/**
	 * Runs the command and returns the process exit code.
	 * @param application the application's configuration class
	 * @param args the command line, starting with {@code backup} or {@code restore-backup}
	 */
	public static int run(Class<?> application, String[] args) {
		return run(application, args, System.out, System.err, System.console() != null);
	}

	static int run(Class<?> application, String[] args, PrintStream out, PrintStream err, boolean terminal) {
		BackupOptions options;
		try {
			options = BackupOptions.parse(args[0].equals(BACKUP), List.of(args).subList(1, args.length));
		}
		catch (IllegalArgumentException ex) {
			err.println(args[0] + ": " + ex.getMessage());
			err.println(USAGE_TEXT);
			return USAGE;
		}
		List<String> springArgs = new ArrayList<>(List.of("--smp.retention.scheduled=false",
				"--smp.storage.reconcile-at-start=false", "--logging.level.root=WARN"));
		springArgs.addAll(options.springArguments());
		if (args[0].equals(BACKUP)) {
			// a failure is said once, by the command: on H2 a running server holding the database is expected
			springArgs.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
			springArgs.add("--logging.level.org.springframework.context.annotation.AnnotationConfigApplicationContext=OFF");
			return new BackupRun(application, options, springArgs, out, err, terminal).run();
		}
		return new RestoreRun(application, options, springArgs, out, err, terminal).run();
	}

}
