package org.statemigration.smp.scrub;

import java.io.InterruptedIOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.store.StoreCheck;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The {@code verify} command line: {@code java -jar smp.jar verify [--store ID] [--property=value ...]}. Like the
 * {@code keys} command it starts the application without a web server and without scheduled jobs, with the server's
 * configuration, and checks every committed state store whole (or the one named), within the scrub's budget of
 * bytes per second. It shows its progress (a bar on a terminal, a line per store otherwise) and ends with a summary
 * that names each damaged store. Damaged stores are marked and audited as the scheduled scrub does.
 * <p>
 * Exit codes: {@value #INTACT} every store intact, {@value #DAMAGED} damage found, {@value #UNREADABLE} no damage
 * found but some stores could not be read now, {@value #FAILED} the command failed, {@value #USAGE} a usage error.
 */
public final class VerifyCommand {

	static final int INTACT = 0;

	static final int FAILED = 1;

	static final int USAGE = 2;

	static final int DAMAGED = 3;

	static final int UNREADABLE = 4;

	/** H2's error code for a database file that another process holds. */
	private static final int H2_DATABASE_IN_USE = 90020;

	private static final String USAGE_TEXT = "usage: java -jar smp.jar verify [--store ID] [--smp.data-dir=...] "
			+ "[--name=value ...]";

	private VerifyCommand() {
	}

	/** True if the arguments ask for this command rather than the server. */
	public static boolean handles(String[] args) {
		return args.length > 0 && args[0].equals("verify");
	}

	/**
	 * Runs the command and returns the process exit code.
	 * @param application the application's configuration class
	 * @param args the command line, starting with {@code verify}
	 */
	public static int run(Class<?> application, String[] args) {
		UUID only = null;
		List<String> springArgs = new ArrayList<>(List.of("--smp.retention.scheduled=false",
				"--smp.storage.reconcile-at-start=false", "--smp.scrub.enabled=false", "--logging.level.root=WARN",
				"--spring.main.banner-mode=off"));
		for (int i = 1; i < args.length; i++) {
			String arg = args[i];
			String id = null;
			if (arg.equals("--store")) {
				if (i + 1 == args.length) {
					return usage("--store needs the id of a state store");
				}
				id = args[++i];
			}
			else if (arg.startsWith("--store=")) {
				id = arg.substring("--store=".length());
			}
			else if (arg.equals("--help") || arg.equals("-h")) {
				System.out.println(USAGE_TEXT);
				return INTACT;
			}
			else if (arg.startsWith("--") && arg.contains("=")) {
				springArgs.add(arg);
				continue;
			}
			else {
				return usage("unknown argument " + arg);
			}
			try {
				only = UUID.fromString(id);
			}
			catch (IllegalArgumentException ex) {
				return usage("--store needs the id of a state store (a UUID), not " + id);
			}
		}
		return run(application, only, springArgs.toArray(String[]::new), System.out, System.err,
				System.console() != null);
	}

	private static int usage(String problem) {
		System.err.println("verify: " + problem);
		System.err.println(USAGE_TEXT);
		return USAGE;
	}

	private static int run(Class<?> application, UUID only, String[] springArgs, PrintStream out, PrintStream err,
			boolean terminal) {
		SpringApplication spring = new SpringApplication(application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = spring.run(springArgs)) {
			Progress progress = new Progress(out, terminal);
			Scrub.Verification verification = context.getBean(Scrub.class).verify(only, progress);
			progress.end();
			return summary(verification, out);
		}
		catch (NotFoundException ex) {
			err.println("verify failed: " + ex.getMessage());
			return FAILED;
		}
		catch (InterruptedIOException ex) {
			err.println("verify was interrupted");
			return FAILED;
		}
		catch (RuntimeException ex) {
			if (databaseInUse(ex)) {
				err.println("verify failed: the embedded database (H2) is in use by a running server, and H2 lets one "
						+ "process open it at a time. Stop the server and run verify again, or let the running server "
						+ "check the stores with the scheduled scrub (smp.scrub.enabled=true; see docs/operations.md). "
						+ "With PostgreSQL, verify runs beside running servers.");
			}
			else {
				err.println("verify failed: " + ex.getMessage());
			}
			return FAILED;
		}
	}

	private static int summary(Scrub.Verification verification, PrintStream out) {
		ScrubPass pass = verification.pass();
		out.println("Checked " + pass.stores() + " state store(s), " + pass.bytes() + " bytes read: "
				+ verification.damaged().size() + " damaged, " + verification.unreadable().size()
				+ " could not be read now.");
		if (!verification.damaged().isEmpty()) {
			out.println("Damaged state stores (marked: their restore is refused):");
			for (StoreCheck check : verification.damaged()) {
				out.println("  association " + check.associationId() + ", state store " + check.storeId() + " (version "
						+ check.version() + ") at " + check.location() + ": " + check.verdict().slug() + ": "
						+ check.detail());
			}
		}
		if (!verification.unreadable().isEmpty()) {
			out.println("Not checked, could not be read now (try again once the location answers):");
			for (StoreCheck check : verification.unreadable()) {
				out.println("  association " + check.associationId() + ", state store " + check.storeId() + " at "
						+ check.location() + ": " + check.detail());
			}
		}
		if (!verification.damaged().isEmpty()) {
			return DAMAGED;
		}
		return verification.unreadable().isEmpty() ? INTACT : UNREADABLE;
	}

	private static boolean databaseInUse(Throwable ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_IN_USE) {
				return true;
			}
			if (cause.getMessage() != null && cause.getMessage().contains("Database may be already in use")) {
				return true;
			}
		}
		return false;
	}

	/** A bar redrawn in place on a terminal; otherwise a line per store checked. */
	private static final class Progress implements Scrub.Listener {

		private static final int WIDTH = 30;

		private final PrintStream out;

		private final boolean terminal;

		private long versions;

		private long bytes;

		private long checked;

		private long read;

		private long drawnAt;

		Progress(PrintStream out, boolean terminal) {
			this.out = out;
			this.terminal = terminal;
		}

		@Override
		public void starting(long versions, long bytes) {
			this.versions = versions;
			this.bytes = bytes;
			this.out.println("Checking " + versions + " state store(s), " + bytes + " bytes of plaintext");
		}

		@Override
		public void read(long bytes) {
			this.read += bytes;
			if (this.terminal && System.nanoTime() - this.drawnAt > 200_000_000L) {
				draw();
			}
		}

		@Override
		public void checked(StoreCheck check) {
			this.checked++;
			if (this.terminal) {
				if (check.verdict() != StoreCheck.Verdict.INTACT) {
					this.out.print("\r\033[K");
					this.out.println(line(check));
				}
				draw();
			}
			else {
				this.out.println(line(check));
			}
		}

		void end() {
			if (this.terminal) {
				draw();
				this.out.println();
			}
		}

		private String line(StoreCheck check) {
			return "[" + this.checked + "/" + this.versions + "] " + check.storeId() + " "
					+ check.verdict().slug().toUpperCase(Locale.ROOT)
					+ ((check.verdict() != StoreCheck.Verdict.INTACT) ? ": " + check.detail() : "");
		}

		private void draw() {
			this.drawnAt = System.nanoTime();
			double done = (this.bytes > 0) ? Math.min(1.0, (double) this.read / this.bytes)
					: ((this.versions > 0) ? (double) this.checked / this.versions : 1.0);
			int filled = (int) Math.round(done * WIDTH);
			this.out.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] "
					+ String.format(Locale.ROOT, "%3d%%", Math.round(done * 100)) + "  " + this.checked + "/"
					+ this.versions + " store(s)");
			this.out.flush();
		}

	}

}
