package org.statemigration.smp.managementpoint;

import java.util.List;

import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.association.ComputerIdentities;
import org.statemigration.smp.association.ComputerIdentity;
import org.statemigration.smp.association.ComputerIdentityConflictException;
import org.statemigration.smp.association.Computers;
import org.statemigration.smp.association.IdentityMatch;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
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

	private final ComputerIdentities identities;

	private final AuditLog audit;

	public ComputerStatuses(ComputerAssociations associations, ComputerIdentities identities, AuditLog audit) {
		this.associations = associations;
		this.identities = identities;
		this.audit = audit;
	}

	/**
	 * The computer's associations, newest first (at most {@link ComputerAssociations#MAX_PAGE_SIZE}), and how what
	 * it says of itself matched the computer of its certificate. A computer recognised by its SMBIOS UUID or a MAC
	 * address under another name (renamed) is recorded in the audit log.
	 * @param presentedName the name the computer gives itself, or {@code null}
	 * @throws ComputerIdentityConflictException if what it says contradicts the certificate's computer
	 */
	@Transactional(readOnly = true)
	public ComputerStatus of(EnrolledComputer computer, String presentedName, String smbiosGuid,
			List<String> macAddresses) {
		if (presentedName != null) {
			Computers.validName(presentedName, "computerName");
		}
		ComputerIdentity presented = ComputerIdentity.of(smbiosGuid, macAddresses, "");
		IdentityMatch match;
		try {
			match = this.identities.recognise(computer.computerId(), presentedName, presented).orElse(null);
		}
		catch (ComputerIdentityConflictException ex) {
			this.audit.recordAlone(computer.computerName(), "computer.status", computer.computerName(),
					AuditOutcome.FAILURE, "identity conflict: " + ex.getMessage() + " presented name=" + presentedName
							+ " smbiosGuid=" + presented.smbiosGuid() + " macAddresses=" + presented.macAddresses());
			throw ex;
		}
		if (match != null && match.byIdentity()) {
			this.audit.recordAlone(computer.computerName(), "computer.status", computer.computerName(),
					AuditOutcome.SUCCESS, "matchedBy=" + match + " presented name=" + presentedName);
		}
		ComputerStatus status = of(computer);
		return new ComputerStatus(status.computer(), match, status.associations());
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
		return new ComputerStatus(computer.computerName(), null, items);
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
