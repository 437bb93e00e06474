package org.statemigration.smp.association;

/** Whether user state moves to another computer or back onto the same one. */
public enum MigrationType {

	/** Source and destination are different computers. */
	SIDE_BY_SIDE,

	/** The same computer is refreshed: it is both source and destination. */
	IN_PLACE

}
