package org.statemigration.smp.keys;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code keys} command line: {@code java -jar smp.jar keys rotate|status [--property=value ...]}. It starts the
 * application without a web server and without scheduled jobs, with the same configuration as the server (so it
 * finds the same database and master key), does its work and returns an exit code.
 */
public final class KeysCommand {

	/** Turns off the scheduled retention passes (see the retention module's configuration). */
	static final String NO_SCHEDULING = "--smp.retention.scheduled=false";

	/**
	 * Leaves the storage folders alone: the command shares the data directory, and so the node identity, of a
	 * server that may be running, whose uploads in flight would otherwise be discarded as dead.
	 */
	static final String NO_RECONCILIATION = "--smp.storage.reconcile-at-start=false";

	private static final String USAGE = "usage: java -jar smp.jar keys rotate|status [--smp.data-dir=...] [--name=value ...]";

	private KeysCommand() {
	}

	/** True if the arguments ask for this command rather than the server. */
	public static boolean handles(String[] args) {
		return args.length > 0 && args[0].equals("keys");
	}

	/**
	 * Runs the command and returns the process exit code: 0 on success, 1 on failure, 2 on a usage error.
	 * @param application the application's configuration class
	 * @param args the command line, starting with {@code keys}
	 */
	public static int run(Class<?> application, String[] args) {
		if (args.length < 2 || !(args[1].equals("rotate") || args[1].equals("status"))) {
			System.err.println(USAGE);
			return 2;
		}
		return run(application, args[1], springArguments(args), System.out, System.err);
	}

	private static int run(Class<?> application, String subcommand, String[] springArgs, PrintStream out,
			PrintStream err) {
		SpringApplication spring = new SpringApplication(application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = spring.run(springArgs)) {
			if (subcommand.equals("rotate")) {
				out.println(context.getBean(KeyRotation.class).rotate().describe());
			}
			else {
				out.println(context.getBean(KeyStatus.class).describe());
			}
			return 0;
		}
		catch (RuntimeException ex) {
			err.println("keys " + subcommand + " failed: " + ex.getMessage());
			if (subcommand.equals("rotate")) {
				err.println("Secrets already re-wrapped stay readable (every key version is kept in the master key "
						+ "file); fix the cause and run keys rotate again.");
			}
			return 1;
		}
	}

	private static String[] springArguments(String[] args) {
		List<String> springArgs = new ArrayList<>(List.of(NO_SCHEDULING, NO_RECONCILIATION, "--logging.level.root=WARN"));
		springArgs.addAll(Arrays.asList(args).subList(2, args.length));
		return springArgs.toArray(String[]::new);
	}

}
