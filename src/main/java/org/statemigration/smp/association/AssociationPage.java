package org.statemigration.smp.association;

import java.util.List;

/** One page of associations, newest first. */
public record AssociationPage(List<ComputerAssociation> items, int page, int size, long total) {
}
