package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.statemigration.smp.backup.internal.BackupWriter.BackupSummary;
import org.statemigration.smp.crypto.KeyEncryptionKeys;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * One run of {@code backup}: the passphrase first (when the keys go in), then the backup written by this process,
 * then the keys sealed into it. When the embedded H2 database is held by a server running on the same data
 * directory, that server writes the backup at the command's request, over its local channel
 * ({@link LocalChannelClient}), with the same output and exit codes.
 */
public final class BackupRun {

	private static final int DONE = 0;

	private static final int FAILED = 1;

	private static final int USAGE = 2;

	private final Class<?> application;

	private final BackupOptions options;

	private final List<String> springArgs;

	private final PrintStream out;

	private final PrintStream err;

	private final Progress progress;

	public BackupRun(Class<?> application, BackupOptions options, List<String> springArgs, PrintStream out,
			PrintStream err, boolean terminal) {
		this.application = application;
		this.options = options;
		this.springArgs = springArgs;
		this.out = out;
		this.err = err;
		this.progress = new Progress(out, terminal);
	}

	public int run() {
		char[] passphrase = null;
		try {
			if (this.options.includeKeys()) {
				passphrase = Passphrases.read(this.options.passphraseFile(), true);
			}
		}
		catch (IllegalArgumentException | IOException ex) {
			this.err.println("backup: " + ex.getMessage());
			return USAGE;
		}
		AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();
		try {
			SpringApplication spring = new SpringApplication(this.application);
			spring.setWebApplicationType(WebApplicationType.NONE);
			spring.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) (event) -> environment
				.set(event.getEnvironment()));
			try (ConfigurableApplicationContext context = spring.run(this.springArgs.toArray(String[]::new))) {
				BackupSummary summary = context.getBean(BackupWriter.class).write(this.options.folder(), this.progress);
				if (passphrase != null) {
					Path dataDir = Path.of(context.getEnvironment().getRequiredProperty("smp.data-dir"));
					BackupKeys.add(this.options.folder(), dataDir, context.getBean(KeyEncryptionKeys.class).file(),
							passphrase);
				}
				BackupReport.of(summary, passphrase != null).print(this.options.folder(), this.out);
				return DONE;
			}
		}
		catch (IllegalArgumentException ex) {
			this.err.println("backup: " + ex.getMessage());
			return USAGE;
		}
		catch (IOException | RuntimeException ex) {
			String message = RunFailures.message(ex);
			boolean held = RunFailures.databaseHeldElsewhere(ex);
			if (held && environment.get() != null
					&& Files.exists(LocalChannelClient.channelFile(environment.get()))) {
				return throughTheServer(environment.get(), passphrase);
			}
			if (held) {
				this.err.println("backup failed: the embedded H2 database is in use by a running server. On H2, stop "
						+ "the server, run backup, and start it again; on PostgreSQL, backup runs beside the server.");
				return FAILED;
			}
			this.err.println("backup failed: " + message);
			this.err.println("The folder holds no finished backup from this run; run backup again.");
			return FAILED;
		}
		finally {
			if (passphrase != null) {
				Arrays.fill(passphrase, ' ');
			}
		}
	}

	/** The embedded database is held by a running server: that server writes the backup. */
	private int throughTheServer(ConfigurableEnvironment environment, char[] passphrase) {
		try {
			new LocalChannelClient(environment, LocalChannelClient.channelFile(environment), this.out, this.progress)
				.backup(this.options.folder(), passphrase);
			return DONE;
		}
		catch (IOException | RuntimeException ex) {
			this.err.println("backup failed: " + RunFailures.message(ex));
			this.err.println("The folder holds no finished backup from this run; run backup again.");
			return FAILED;
		}
	}

}
