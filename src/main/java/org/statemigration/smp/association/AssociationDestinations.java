package org.statemigration.smp.association;

import java.time.Clock;
import java.util.UUID;

import org.statemigration.smp.association.internal.AssociationRepository;
import org.statemigration.smp.problem.InvalidStateException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves an association to another destination computer. The management point checks the association's current
 * destination on every request, so the previous destination's tokens stop working as soon as this commits.
 */
@Service
public class AssociationDestinations {

	private final AssociationRepository associations;

	private final Computers computers;

	private final Clock clock;

	public AssociationDestinations(AssociationRepository associations, Computers computers, Clock clock) {
		this.associations = associations;
		this.computers = computers;
		this.clock = clock;
	}

	/**
	 * Makes the named computer (registered if it is new) the association's destination, and recomputes the
	 * migration type. Joins the caller's transaction and holds the association's lock until it ends.
	 * @throws AssociationNotFoundException if there is no such association
	 * @throws InvalidStateException if the association's data has been deleted
	 */
	@Transactional
	public DestinationChange change(UUID id, String destinationComputer) {
		Computers.validName(destinationComputer, "destinationComputer");
		AssociationParties parties = this.associations.lock(id).orElseThrow(() -> new AssociationNotFoundException(id));
		if (parties.state() == AssociationState.DELETED) {
			throw new InvalidStateException("The association's data has been deleted; there is nothing to reassign");
		}
		String previous = this.computers.get(parties.destinationComputerId()).name();
		Computer destination = this.computers.register(destinationComputer);
		MigrationType type = parties.isSource(destination.id()) ? MigrationType.IN_PLACE : MigrationType.SIDE_BY_SIDE;
		this.associations.updateDestination(id, destination.id(), type, this.clock.instant());
		return new DestinationChange(id, previous, destination.name());
	}

}
