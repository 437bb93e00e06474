package org.statemigration.smp.backup.internal;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Where the passphrase of a backup's keys comes from: a file ({@code --passphrase-file}, its first line), the
 * environment variable {@value #VARIABLE}, or else a prompt on the terminal (twice when it seals). Never the
 * command line, which other users of the machine can read.
 */
public final class Passphrases {

	public static final String VARIABLE = "SMP_BACKUP_PASSPHRASE";

	/** The shortest passphrase that seals keys. */
	static final int MIN_LENGTH = 12;

	private Passphrases() {
	}

	/** The shortest passphrase that seals keys. */
	public static int minLength() {
		return MIN_LENGTH;
	}

	/**
	 * The passphrase.
	 * @param file the {@code --passphrase-file} option, or null
	 * @param confirm whether a prompt asks twice (sealing) and the length is checked
	 * @throws IllegalArgumentException if there is none, it is too short, or the two entries differ
	 */
	public static char[] read(Path file, boolean confirm) throws IOException {
		char[] passphrase;
		if (file != null) {
			String text = Files.readString(file, StandardCharsets.UTF_8);
			int end = text.indexOf('\n');
			passphrase = ((end >= 0) ? text.substring(0, end) : text).replace("\r", "").toCharArray();
		}
		else if (System.getenv(VARIABLE) != null) {
			passphrase = System.getenv(VARIABLE).toCharArray();
		}
		else {
			passphrase = prompt(confirm);
		}
		if (passphrase.length == 0) {
			throw new IllegalArgumentException("The passphrase is empty");
		}
		if (confirm && passphrase.length < MIN_LENGTH) {
			Arrays.fill(passphrase, ' ');
			throw new IllegalArgumentException("The passphrase must have at least " + MIN_LENGTH + " characters");
		}
		return passphrase;
	}

	private static char[] prompt(boolean confirm) {
		Console console = System.console();
		if (console == null) {
			throw new IllegalArgumentException("No passphrase: give --passphrase-file FILE or set " + VARIABLE
					+ " (there is no terminal to ask on)");
		}
		char[] first = console.readPassword("Passphrase of the backup's keys: ");
		if (first == null) {
			throw new IllegalArgumentException("No passphrase was entered");
		}
		if (confirm) {
			char[] second = console.readPassword("The same passphrase again: ");
			boolean same = second != null && Arrays.equals(first, second);
			if (second != null) {
				Arrays.fill(second, ' ');
			}
			if (!same) {
				Arrays.fill(first, ' ');
				throw new IllegalArgumentException("The two passphrases differ");
			}
		}
		return first;
	}

}
