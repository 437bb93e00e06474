package org.statemigration.smp.backup.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

import org.statemigration.smp.crypto.CryptoException;
import org.statemigration.smp.crypto.KeyEncryptionKeys;

/**
 * How a restore knows that the master key at hand is the one the backup's secrets are wrapped with, before it loads
 * anything: the SHA-256 of a key derived from a key version for this purpose alone. It reveals nothing of the key,
 * and nothing that opens a secret.
 */
final class KeyCheck {

	static final String PURPOSE = "smp backup key check v1";

	private KeyCheck() {
	}

	static String of(KeyEncryptionKeys keys, int version) {
		byte[] derived = keys.deriveKey(version, PURPOSE);
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(derived));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
		finally {
			Arrays.fill(derived, (byte) 0);
		}
	}

	/**
	 * Checks the keys against the manifest.
	 * @throws BackupRefusedException if they are not the backup's
	 */
	static void verify(KeyEncryptionKeys keys, Manifest manifest) {
		String check;
		try {
			check = of(keys, manifest.keyVersion());
		}
		catch (CryptoException ex) {
			throw new BackupRefusedException("The master key file " + keys.file() + " has no key version "
					+ manifest.keyVersion() + ": it is not the master key of this backup");
		}
		if (!MessageDigest.isEqual(check.getBytes(), manifest.keyCheck().getBytes())) {
			throw new BackupRefusedException(
					"The master key file " + keys.file() + " is not the master key of this backup");
		}
	}

}
