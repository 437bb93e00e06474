package org.statemigration.smp.managementpoint;

import java.time.Instant;
import java.util.UUID;

import org.statemigration.smp.association.AssociationState;

/** The association after a release; {@code deleteAt} is set once a restore is confirmed. */
public record ReleaseResult(UUID associationId, AssociationState state, Instant deleteAt) {
}
