package org.statemigration.smp.backup.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The options of {@code backup} and {@code restore-backup}; every other {@code --name=value} goes to the
 * application's configuration, as for the server.
 * @param folder the backup's folder ({@code --to} or {@code --from}), absolute
 * @param includeKeys whether the keys are sealed into the backup
 * @param passphraseFile where the passphrase is, or null
 */
public record BackupOptions(Path folder, boolean includeKeys, Path passphraseFile, List<String> springArguments) {

	/**
	 * Parses the options after the command's name.
	 * @throws IllegalArgumentException on a usage error
	 */
	public static BackupOptions parse(boolean backup, List<String> args) {
		String folderOption = backup ? "--to" : "--from";
		Path folder = null;
		boolean includeKeys = false;
		Path passphraseFile = null;
		List<String> spring = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			String arg = args.get(i);
			String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
			String inline = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : null;
			if (name.equals("--passphrase")) {
				throw new IllegalArgumentException(
						"a passphrase is never given on the command line (other users can read it there)");
			}
			if (name.equals(folderOption) || name.equals("--passphrase-file")) {
				String value = inline;
				if (value == null) {
					if (i + 1 >= args.size()) {
						throw new IllegalArgumentException(name + " needs a value");
					}
					value = args.get(++i);
				}
				if (value.isBlank()) {
					throw new IllegalArgumentException(name + " needs a value");
				}
				if (name.equals(folderOption)) {
					folder = Path.of(value).toAbsolutePath().normalize();
				}
				else {
					passphraseFile = Path.of(value);
				}
			}
			else if (backup && arg.equals("--include-keys")) {
				includeKeys = true;
			}
			else if (arg.startsWith("--") && inline != null && name.length() > 2) {
				spring.add(arg);
			}
			else {
				throw new IllegalArgumentException("unknown option " + arg);
			}
		}
		if (folder == null) {
			throw new IllegalArgumentException(folderOption + " DIR is required");
		}
		if (backup && passphraseFile != null && !includeKeys) {
			throw new IllegalArgumentException("--passphrase-file is for --include-keys");
		}
		return new BackupOptions(folder, includeKeys, passphraseFile, List.copyOf(spring));
	}

}
