package org.statemigration.smp.association;

import java.util.UUID;

/**
 * An association was deleted by an operator; whoever keeps data for it must destroy that data. Published inside
 * the deleting transaction.
 */
public record AssociationDeleted(UUID associationId, String deletedBy) {
}
