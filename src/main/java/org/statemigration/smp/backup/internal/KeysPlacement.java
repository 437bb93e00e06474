package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Gets the master key of a restore in place before the application starts, whose TLS bootstrap would otherwise
 * create a new one: from the backup's sealed keys when the data directory has none (the passphrase is asked for
 * only then), else the data directory's own. Either way it must be the backup's master key (its key check), or the
 * restore is refused before anything else is written. Runs from the same configuration as the server, so it finds
 * the data directory and the master key file where the server would.
 */
final class KeysPlacement implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	private final Path folder;

	private final Manifest manifest;

	private final Path passphraseFile;

	private final Map<Path, byte[]> written = new LinkedHashMap<>();

	private Path masterKeyFile;

	KeysPlacement(Path folder, Manifest manifest, Path passphraseFile) {
		this.folder = folder;
		this.manifest = manifest;
		this.passphraseFile = passphraseFile;
	}

	@Override
	public int getOrder() {
		// before the TLS bootstrap, which loads or creates the master key one step later
		return LoggingApplicationListener.DEFAULT_ORDER;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		Path dataDir = Path.of(environment.getProperty("smp.data-dir", "./data")).toAbsolutePath().normalize();
		this.masterKeyFile = Path.of(environment.getProperty("smp.crypto.master-key-file",
				dataDir.resolve("keys").resolve("master.key").toString())).toAbsolutePath().normalize();
		try {
			if (Files.notExists(this.masterKeyFile)) {
				if (!this.manifest.includesKeys()) {
					throw new MissingMasterKeyException("This backup holds no keys, and there is no master key file "
							+ this.masterKeyFile + ": put the master key kept apart from the backup there (mode 600) "
							+ "and run restore-backup again");
				}
				char[] passphrase;
				try {
					passphrase = Passphrases.read(this.passphraseFile, false);
				}
				catch (IllegalArgumentException ex) {
					throw new MissingMasterKeyException("The backup's keys need their passphrase: " + ex.getMessage());
				}
				try {
					this.written.putAll(BackupKeys.place(this.folder.resolve(this.manifest.keysFile()), passphrase,
							dataDir, this.masterKeyFile));
				}
				finally {
					java.util.Arrays.fill(passphrase, ' ');
				}
			}
			KeyCheck.verify(KeyEncryptionKeys.loadOrCreate(this.masterKeyFile), this.manifest);
		}
		catch (IOException ex) {
			takeBack();
			throw new UncheckedIOException(ex);
		}
		catch (RuntimeException ex) {
			takeBack();
			throw ex;
		}
	}

	/** Whether the master key came from the backup. */
	boolean keysFromBackup() {
		return !this.written.isEmpty();
	}

	Path masterKeyFile() {
		return this.masterKeyFile;
	}

	/**
	 * Writes the backup's TLS files again: the restore's own start on an empty database made a temporary client CA,
	 * and the TLS bootstrap a new server certificate issued by it; the restored server must present the one its
	 * clients pinned, which the restored CA issued.
	 */
	void putBackTls() throws IOException {
		for (Map.Entry<Path, byte[]> file : this.written.entrySet()) {
			if (file.getValue() != null) {
				OwnerOnlyFiles.writeAtomically(file.getKey(), file.getValue());
				java.util.Arrays.fill(file.getValue(), (byte) 0);
			}
		}
	}

	/** Removes the key files this restore wrote, when it was refused before it changed anything else. */
	void takeBack() {
		for (Path file : this.written.keySet()) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// left for the operator, whom the refusal's message sends to an empty data directory anyway
			}
		}
		this.written.clear();
	}

}
