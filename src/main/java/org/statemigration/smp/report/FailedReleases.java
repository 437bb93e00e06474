package org.statemigration.smp.report;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.association.AssociationNotFoundException;
import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.audit.AuditEvent;
import org.statemigration.smp.audit.AuditFilter;
import org.statemigration.smp.audit.AuditPage;
import org.statemigration.smp.audit.AuditTrail;
import org.statemigration.smp.managementpoint.ManagementPoint;
import org.statemigration.smp.report.MigrationStatusReport.FailedRelease;
import org.statemigration.smp.report.MigrationStatusReport.Section;

import org.springframework.stereotype.Component;

/**
 * The releases in which a computer reported its capture or restore failed, as the audit log records them, with
 * where their associations stand now.
 */
@Component
class FailedReleases {

	private static final int AUDIT_PAGE = 500;

	private final AuditTrail audit;

	private final ComputerAssociations associations;

	FailedReleases(AuditTrail audit, ComputerAssociations associations) {
		this.audit = audit;
		this.associations = associations;
	}

	/**
	 * The failed releases recorded since the given time whose association the filter matches (one deleted since
	 * matches only a report without filters), newest first.
	 */
	Section<FailedRelease> since(Instant from, MigrationStatusFilter filter) {
		AuditFilter events = new AuditFilter(from, null, null, ManagementPoint.RELEASE_FAILED);
		TopItems<FailedRelease> releases = new TopItems<>(
				Comparator.comparing(FailedRelease::at).reversed().thenComparing(FailedRelease::associationId),
				MigrationStatusReports.MAX_ITEMS);
		Map<UUID, Optional<ComputerAssociation>> seen = new HashMap<>();
		for (int page = 0;; page++) {
			AuditPage found = this.audit.search(events, page, AUDIT_PAGE);
			for (AuditEvent event : found.items()) {
				UUID id = associationId(event.target());
				if (id == null) {
					continue;
				}
				Optional<ComputerAssociation> association = seen.computeIfAbsent(id, this::find);
				boolean matches = association
					.map((a) -> ComputerAssociations.matches(a, filter.state(), filter.computer()))
					.orElse(filter.state() == null && filter.computer() == null);
				if (matches) {
					releases.offer(release(event, id, association.orElse(null)));
				}
			}
			if (found.items().size() < AUDIT_PAGE) {
				return releases.section();
			}
			if (seen.size() > 10_000) {
				// bounded memory on a log with very many failures: look associations up again
				seen.clear();
			}
		}
	}

	private Optional<ComputerAssociation> find(UUID id) {
		try {
			return Optional.of(this.associations.get(id));
		}
		catch (AssociationNotFoundException ex) {
			return Optional.empty();
		}
	}

	private static FailedRelease release(AuditEvent event, UUID id, ComputerAssociation association) {
		String detail = (event.detail() != null) ? event.detail() : "";
		String operation = detail.startsWith("operation=RESTORE") ? "RESTORE" : "CAPTURE";
		int message = detail.indexOf(" message=");
		String text = (message >= 0) ? detail.substring(message + " message=".length()) : null;
		AssociationState state = (association != null) ? association.state() : null;
		AssociationState left = "RESTORE".equals(operation) ? AssociationState.RESTORING : AssociationState.CAPTURING;
		return new FailedRelease(event.at(), id, event.actor(), operation, text,
				(association != null) ? association.sourceComputer() : null,
				(association != null) ? association.destinationComputer() : null, state, state == left);
	}

	private static UUID associationId(String target) {
		try {
			return (target != null) ? UUID.fromString(target) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

}
