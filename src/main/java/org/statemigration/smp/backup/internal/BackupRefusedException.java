package org.statemigration.smp.backup.internal;

/**
 * A backup that a restore will not use: damaged, incomplete, from a newer schema, or whose keys the passphrase or
 * the master key at hand do not open. Nothing was changed when it is thrown.
 */
public class BackupRefusedException extends RuntimeException {

	public BackupRefusedException(String message) {
		super(message);
	}

}
