package org.statemigration.smp.report;

import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.problem.ValidationException;

/**
 * What a migration status report covers: the associations list's filters, and the horizon of its sections.
 * @param state only associations in this state; null for all
 * @param computer only associations whose source or destination has this name, any case; null or blank for all
 * @param days stores waiting for a restore longer than this many days; deletions due within this many days; failed
 * releases of the last this many days
 */
public record MigrationStatusFilter(AssociationState state, String computer, int days) {

	public static final int DEFAULT_DAYS = 7;

	public static final int MAX_DAYS = 3650;

	/** @throws ValidationException if {@code days} is not 1-{@value #MAX_DAYS} */
	public MigrationStatusFilter {
		if (days < 1 || days > MAX_DAYS) {
			throw new ValidationException("days must be 1-" + MAX_DAYS);
		}
		computer = (computer != null && !computer.isBlank()) ? computer : null;
	}

}
