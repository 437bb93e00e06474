package org.statemigration.smp.association;

import java.util.EnumSet;
import java.util.Set;

/**
 * The life of a computer association, in order.
 */
public enum AssociationState {

	CREATED, CAPTURING, CAPTURED, RESTORING, RESTORED, DELETED;

	private static final Set<AssociationState> CAPTURE_ALLOWED = EnumSet.of(CREATED, CAPTURING, CAPTURED);

	private static final Set<AssociationState> RESTORE_ALLOWED = EnumSet.of(CAPTURED, RESTORING, RESTORED);

	/** A new capture may start: it replaces earlier data atomically. */
	public boolean allowsCapture() {
		return CAPTURE_ALLOWED.contains(this);
	}

	/** A restore may start: there is data, and it has not been deleted. */
	public boolean allowsRestore() {
		return RESTORE_ALLOWED.contains(this);
	}

}
