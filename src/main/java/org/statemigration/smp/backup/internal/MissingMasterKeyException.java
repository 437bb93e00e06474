package org.statemigration.smp.backup.internal;

/** A restore of a backup without keys into a data directory without the master key: nothing was changed. */
class MissingMasterKeyException extends RuntimeException {

	MissingMasterKeyException(String message) {
		super(message);
	}

}
