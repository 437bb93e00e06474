package org.statemigration.smp.association;

import java.util.UUID;

/**
 * Who takes part in an association and where it stands: what the management point checks on every request.
 */
public record AssociationParties(UUID id, UUID sourceComputerId, UUID destinationComputerId, AssociationState state,
		boolean hasData, boolean legalHold) {

	public boolean isSource(UUID computerId) {
		return this.sourceComputerId.equals(computerId);
	}

	public boolean isDestination(UUID computerId) {
		return this.destinationComputerId.equals(computerId);
	}

}
