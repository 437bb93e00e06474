package org.statemigration.smp.managementpoint;

import java.util.List;

import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.pki.EnrolledComputer;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Tells an enrolled computer what the server knows of it: its own associations only, never another computer's,
 * never a key.
 */
@Service
public class ComputerStatuses {

	private final ComputerAssociations associations;

	public ComputerStatuses(ComputerAssociations associations) {
		this.associations = associations;
	}

	/** The computer's associations, newest first (at most {@link ComputerAssociations#MAX_PAGE_SIZE}). */
	@Transactional(readOnly = true)
	public ComputerStatus of(EnrolledComputer computer) {
		List<ComputerStatus.Association> items = this.associations
			.search(null, computer.computerName(), 0, ComputerAssociations.MAX_PAGE_SIZE)
			.items()
			.stream()
			.map((association) -> summary(computer, association))
			.toList();
		return new ComputerStatus(computer.computerName(), items);
	}

	private static ComputerStatus.Association summary(EnrolledComputer computer, ComputerAssociation association) {
		boolean source = association.sourceComputer().equalsIgnoreCase(computer.computerName());
		boolean destination = association.destinationComputer().equalsIgnoreCase(computer.computerName());
		ComputerStatus.Role role = (source && destination) ? ComputerStatus.Role.SOURCE_AND_DESTINATION
				: source ? ComputerStatus.Role.SOURCE : ComputerStatus.Role.DESTINATION;
		return new ComputerStatus.Association(association.id(), role, association.sourceComputer(),
				association.destinationComputer(), association.migrationType(), association.state(),
				association.storeSizeBytes(), association.storeSha256(), association.capturedAt(),
				association.restoredAt(), association.deleteAt());
	}

}
