package org.statemigration.smp.managementpoint;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.IdentityMatch;
import org.statemigration.smp.association.MigrationType;

/**
 * What the server knows of one enrolled computer: its associations, as source or destination, without any key or
 * token. Answers {@code GET /api/v1/mp/status} for the computer itself. {@code matchedBy} says how what the computer
 * said of itself matched the computer of its certificate ({@code null} when it said nothing that did).
 */
public record ComputerStatus(String computer, IdentityMatch matchedBy, List<Association> associations) {

	/** The computer's part in an association. */
	public enum Role {

		SOURCE, DESTINATION, SOURCE_AND_DESTINATION

	}

	/** One association of the computer, as much of it as the computer may see. */
	public record Association(UUID id, Role role, String sourceComputer, String destinationComputer,
			MigrationType migrationType, AssociationState state, Long storeSizeBytes, String storeSha256,
			Instant capturedAt, Instant restoredAt, Instant deleteAt) {
	}

}
