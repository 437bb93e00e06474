package org.statemigration.smp.association;

import java.time.Instant;
import java.util.UUID;

/**
 * A computer association as operators see it: never with its encryption key.
 */
public record ComputerAssociation(UUID id, String sourceComputer, String destinationComputer,
		MigrationType migrationType, UserAccounts userAccounts, AssociationState state, Long storeSizeBytes,
		String storeSha256, Instant capturedAt, Instant restoredAt, Instant deleteAt, boolean legalHold,
		String notes, Instant createdAt, String createdBy) {

	/** Whether the association holds captured data that has not been restored yet. */
	public boolean holdsUnrestoredData() {
		return this.storeSizeBytes != null && (this.state == AssociationState.CAPTURING
				|| this.state == AssociationState.CAPTURED || this.state == AssociationState.RESTORING);
	}

}
