package org.statemigration.smp.association;

/**
 * Which user accounts are captured and restored.
 */
public enum UserAccountMode {

	CAPTURE_ALL_RESTORE_ALL, CAPTURE_ALL_RESTORE_SPECIFIED, CAPTURE_SPECIFIED_RESTORE_SPECIFIED;

	/** Only the capture-all modes allow several associations for one source computer. */
	public boolean allowsSeveralAssociationsPerSource() {
		return this != CAPTURE_SPECIFIED_RESTORE_SPECIFIED;
	}

	public boolean requiresAccounts() {
		return this != CAPTURE_ALL_RESTORE_ALL;
	}

}
