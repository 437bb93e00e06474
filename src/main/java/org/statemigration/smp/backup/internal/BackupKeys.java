package org.statemigration.smp.backup.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.statemigration.smp.backup.internal.Manifest.FileEntry;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

/**
 * The keys in a backup ({@code --include-keys}): the master key file and the server's TLS key store with its
 * password, sealed under a passphrase ({@link KeyBundle}) in {@value #FILE_NAME}, so that a restored server opens
 * the data and presents the certificate its clients pinned. Restored only into a data directory without a master
 * key.
 */
public final class BackupKeys {

	static final String FILE_NAME = "keys.smpkeys";

	static final String MASTER_KEY = "keys/master.key";

	static final List<String> TLS_FILES = List.of("tls/server.p12", "tls/server.p12.password");

	private BackupKeys() {
	}

	/**
	 * Seals the keys of the data directory into the backup and adds them to its manifest.
	 * @param masterKeyFile the configured master key file
	 */
	public static void add(Path folder, Path dataDir, Path masterKeyFile, char[] passphrase) throws IOException {
		Map<String, byte[]> files = new LinkedHashMap<>();
		files.put(MASTER_KEY, Files.readAllBytes(masterKeyFile));
		for (String name : TLS_FILES) {
			Path file = dataDir.resolve(name);
			if (Files.isRegularFile(file)) {
				files.put(name, Files.readAllBytes(file));
			}
		}
		byte[] sealed;
		try {
			sealed = KeyBundle.seal(files, passphrase);
		}
		finally {
			files.values().forEach((bytes) -> Arrays.fill(bytes, (byte) 0));
		}
		Path target = folder.resolve(FILE_NAME);
		OwnerOnlyFiles.writeAtomically(target, sealed);
		Manifest manifest = Manifest.read(folder.resolve(Manifest.FILE_NAME));
		List<FileEntry> entries = new ArrayList<>(manifest.files());
		entries.removeIf((entry) -> entry.path().equals(FILE_NAME));
		entries.add(BackupFolder.entry(folder, target));
		new Manifest(manifest.format(), manifest.createdAt(), manifest.smpVersion(), manifest.database(),
				manifest.schemaVersion(), manifest.auditHead(), manifest.keyVersion(), manifest.keyCheck(), FILE_NAME,
				manifest.tables(), manifest.stores(), manifest.uploadsNotIncluded(), manifest.leftOut(), entries)
			.write(folder);
	}

	/**
	 * Puts the sealed keys into a data directory that has no master key yet: the master key file where the
	 * configuration expects it, the TLS files unless the directory has its own.
	 * @return the files written, with the bytes of the TLS files, which the restore writes again at its end (the
	 * application it starts on an empty database makes a temporary client CA, and a new server certificate with it)
	 * @throws BackupRefusedException if the passphrase does not open them
	 */
	static Map<Path, byte[]> place(Path sealedFile, char[] passphrase, Path dataDir, Path masterKeyFile)
			throws IOException {
		Map<String, byte[]> files = KeyBundle.open(Files.readAllBytes(sealedFile), passphrase);
		Map<Path, byte[]> written = new LinkedHashMap<>();
		try {
			byte[] masterKey = files.get(MASTER_KEY);
			if (masterKey == null) {
				throw new BackupRefusedException("The backup's keys file holds no master key");
			}
			OwnerOnlyFiles.createPrivateDirectory(masterKeyFile.getParent());
			OwnerOnlyFiles.writeAtomically(masterKeyFile, masterKey);
			written.put(masterKeyFile, null);
			boolean ownTls = TLS_FILES.stream().anyMatch((name) -> Files.exists(dataDir.resolve(name)));
			if (!ownTls) {
				for (String name : TLS_FILES) {
					byte[] bytes = files.get(name);
					if (bytes != null) {
						Path file = dataDir.resolve(name);
						OwnerOnlyFiles.createPrivateDirectory(file.getParent());
						OwnerOnlyFiles.writeAtomically(file, bytes);
						written.put(file, bytes.clone());
					}
				}
			}
			return written;
		}
		finally {
			files.values().forEach((bytes) -> Arrays.fill(bytes, (byte) 0));
		}
	}

}
