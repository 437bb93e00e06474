package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.statemigration.smp.audit.AuditVerification;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * One run of {@code restore-backup}: checks the backup whole before anything is written (its manifest, every
 * file's size and SHA-256, its schema version, then its keys), then restores it into an empty target with the
 * application started at the backup's schema version.
 */
public final class RestoreRun {

	private static final int DONE = 0;

	private static final int FAILED = 1;

	private static final int REFUSED = 3;

	private final Class<?> application;

	private final BackupOptions options;

	private final List<String> springArgs;

	private final PrintStream out;

	private final PrintStream err;

	private final Progress progress;

	public RestoreRun(Class<?> application, BackupOptions options, List<String> springArgs, PrintStream out,
			PrintStream err, boolean terminal) {
		this.application = application;
		this.options = options;
		this.springArgs = springArgs;
		this.out = out;
		this.err = err;
		this.progress = new Progress(out, terminal);
	}

	public int run() {
		Path folder = this.options.folder();
		Manifest manifest;
		try {
			manifest = check(folder);
		}
		catch (BackupRefusedException ex) {
			this.err.println("restore-backup refused: " + ex.getMessage() + ". Nothing was changed.");
			return REFUSED;
		}
		catch (IOException | RuntimeException ex) {
			this.err.println("restore-backup failed: " + RunFailures.message(ex) + ". Nothing was changed.");
			return FAILED;
		}
		KeysPlacement keys = new KeysPlacement(folder, manifest, this.options.passphraseFile());
		SpringApplication spring = new SpringApplication(this.application);
		spring.setWebApplicationType(WebApplicationType.NONE);
		spring.addListeners(keys);
		List<String> args = new ArrayList<>(this.springArgs);
		// the schema as the backup had it; the restore migrates it to this version's once the rows are in
		args.add("--spring.flyway.target=" + manifest.schemaVersion());
		args.add("--smp.admin.create-first-administrator=false");
		// a refusal is said once, in words; not again as a failed start with its stack trace
		args.add("--logging.level.org.springframework.boot.SpringApplication=OFF");
		boolean started = false;
		try (ConfigurableApplicationContext context = spring.run(args.toArray(String[]::new))) {
			BackupRestorer restorer = context.getBean(BackupRestorer.class);
			restorer.checkEmpty();
			started = true;
			AuditVerification verification = restorer.restore(folder, manifest, this.progress);
			keys.putBackTls();
			report(manifest, keys, verification);
			if (!verification.valid()) {
				this.err.println("restore-backup: the restored audit chain does not verify at event "
						+ verification.firstInvalidSeq() + ": " + verification.reason());
				return FAILED;
			}
			return DONE;
		}
		catch (IOException | RuntimeException ex) {
			RuntimeException refusal = RunFailures.refusal(ex);
			if (refusal != null && !started) {
				keys.takeBack();
				this.err.println("restore-backup " + ((refusal instanceof BackupRefusedException) ? "refused" : "failed")
						+ ": " + refusal.getMessage() + ". Nothing was changed.");
				return (refusal instanceof BackupRefusedException) ? REFUSED : FAILED;
			}
			this.err.println("restore-backup failed: " + RunFailures.message(ex));
			if (started) {
				this.err.println("The target may hold part of the backup: empty the data directory, the storage "
						+ "locations and the database, then run restore-backup again.");
			}
			return FAILED;
		}
	}

	private Manifest check(Path folder) throws IOException {
		Path manifestFile = folder.resolve(Manifest.FILE_NAME);
		if (!Files.isDirectory(folder)) {
			throw new BackupRefusedException(folder + " does not exist");
		}
		if (Files.notExists(manifestFile)) {
			throw new BackupRefusedException(folder + " holds no " + Manifest.FILE_NAME
					+ ": it is not a backup, or one that did not finish");
		}
		Manifest manifest = Manifest.read(manifestFile);
		if (manifest.format() > Manifest.FORMAT) {
			throw new BackupRefusedException("The backup's manifest has format " + manifest.format()
					+ ", newer than this version of smp reads (" + Manifest.FORMAT + ")");
		}
		SchemaVersions.checkRestorable(manifest);
		long total = manifest.files().stream().mapToLong(Manifest.FileEntry::size).sum();
		this.progress.start("Checking " + manifest.files().size() + " file(s)", total);
		try {
			BackupFolder.check(folder, manifest, this.progress::advance);
		}
		finally {
			this.progress.finish();
		}
		return manifest;
	}

	private void report(Manifest manifest, KeysPlacement keys, AuditVerification verification) {
		this.out.println("Restored the backup of " + manifest.createdAt() + " (schema " + manifest.schemaVersion()
				+ "): " + manifest.tables().size() + " tables, " + manifest.stores().size() + " state store(s)");
		this.out.println(keys.keysFromBackup() ? "The master key and the TLS key store came from the backup's keys."
				: "The master key is the one already at " + keys.masterKeyFile() + ".");
		if (!manifest.uploadsNotIncluded().isEmpty()) {
			this.out.println(manifest.uploadsNotIncluded().size() + " upload(s) in progress at the backup are not "
					+ "included; those computers capture again:");
			manifest.uploadsNotIncluded()
				.forEach((upload) -> this.out.println("  association " + upload.associationId() + ", version "
						+ upload.storeId()));
		}
		this.out.println("Audit chain verified: " + verification.valid() + " (" + verification.events() + " events)");
	}

}
