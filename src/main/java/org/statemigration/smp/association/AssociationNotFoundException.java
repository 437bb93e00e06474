package org.statemigration.smp.association;

import java.util.UUID;

import org.statemigration.smp.problem.NotFoundException;

public class AssociationNotFoundException extends NotFoundException {

	public AssociationNotFoundException(UUID id) {
		super("No association " + id);
	}

}
