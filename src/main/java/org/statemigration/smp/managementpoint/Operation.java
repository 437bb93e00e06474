package org.statemigration.smp.managementpoint;

/** What a computer asks the management point for. */
public enum Operation {

	/** Upload the source computer's user state. */
	CAPTURE,

	/** Download it onto the destination computer. */
	RESTORE

}
