package org.statemigration.smp.association;

import java.util.UUID;

/**
 * An association's destination before and after a reassignment, by computer name.
 */
public record DestinationChange(UUID associationId, String previousDestination, String newDestination) {

}
