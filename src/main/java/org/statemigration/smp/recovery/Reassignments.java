package org.statemigration.smp.recovery;

import java.util.UUID;

import org.statemigration.smp.association.AssociationDestinations;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.association.Computers;
import org.statemigration.smp.association.DestinationChange;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Moves an association to a new destination computer, for a destination that was lost or replaced. The change and
 * its audit record commit together or not at all; the old destination's tokens stop working with the commit,
 * because the management point checks the current destination on every request.
 */
@Service
public class Reassignments {

	static final String ACTION = "association.reassign";

	private final AssociationDestinations destinations;

	private final ComputerAssociations associations;

	private final AuditLog audit;

	public Reassignments(AssociationDestinations destinations, ComputerAssociations associations, AuditLog audit) {
		this.destinations = destinations;
		this.associations = associations;
		this.audit = audit;
	}

	/**
	 * Makes the named computer (registered if new) the association's destination.
	 * @return the association as it is now
	 * @throws org.statemigration.smp.problem.ValidationException if the name or the reason is invalid
	 * @throws org.statemigration.smp.problem.InvalidStateException if the association's data has been deleted
	 * @throws org.statemigration.smp.audit.AuditUnavailableException if the change cannot be audited
	 */
	@Transactional
	public ComputerAssociation reassign(UUID id, ReassignmentRequest request) {
		String name = Computers.validName((request != null) ? request.destinationComputer() : null,
				"destinationComputer");
		String reason = Reasons.valid(request.reason());
		DestinationChange change = this.destinations.change(id, name);
		this.audit.record(ACTION, id.toString(), AuditOutcome.SUCCESS,
				change.previousDestination() + " -> " + change.newDestination() + ": " + reason);
		return this.associations.get(id);
	}

}
