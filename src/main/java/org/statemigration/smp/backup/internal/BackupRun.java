package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.statemigration.smp.backup.internal.BackupWriter.BackupSummary;
import org.statemigration.smp.crypto.KeyEncryptionKeys;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One run of {@code backup}: the passphrase first (when the keys go in), then the backup written by this process,
 * then the keys sealed into it.
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
		try {
			SpringApplication spring = new SpringApplication(this.application);
			spring.setWebApplicationType(WebApplicationType.NONE);
			try (ConfigurableApplicationContext context = spring.run(this.springArgs.toArray(String[]::new))) {
				BackupSummary summary = context.getBean(BackupWriter.class).write(this.options.folder(), this.progress);
				if (passphrase != null) {
					Path dataDir = Path.of(context.getEnvironment().getRequiredProperty("smp.data-dir"));
					BackupKeys.add(this.options.folder(), dataDir, context.getBean(KeyEncryptionKeys.class).file(),
							passphrase);
				}
				report(summary);
				return DONE;
			}
		}
		catch (IllegalArgumentException ex) {
			this.err.println("backup: " + ex.getMessage());
			return USAGE;
		}
		catch (IOException | RuntimeException ex) {
			String message = RunFailures.message(ex);
			if (message.contains("already in use")) {
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

	private void report(BackupSummary summary) {
		Manifest manifest = summary.manifest();
		this.out.println("Backed up to " + this.options.folder() + ": schema " + manifest.schemaVersion() + ", "
				+ manifest.tables().size() + " tables, " + manifest.stores().size() + " state store(s), "
				+ summary.storesCopied() + " of them copied now (" + summary.bytesCopied() + " bytes), the others "
				+ "kept from the earlier backup in the folder");
		if (!manifest.uploadsNotIncluded().isEmpty()) {
			this.out.println("Not included: " + manifest.uploadsNotIncluded().size() + " upload(s) in progress");
			manifest.uploadsNotIncluded()
				.forEach((upload) -> this.out.println("  association " + upload.associationId() + ", version "
						+ upload.storeId()));
		}
		if (this.options.includeKeys()) {
			this.out.println("The master key and the TLS key store are in " + BackupKeys.FILE_NAME
					+ ", encrypted under the passphrase: keep the passphrase apart from the backup.");
		}
		else {
			this.out.println("The master key is NOT in this backup: a restore needs the master key file kept "
					+ "elsewhere (or run backup with --include-keys).");
		}
	}

}
