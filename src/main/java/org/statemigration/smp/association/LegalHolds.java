package org.statemigration.smp.association;

import java.time.Clock;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.association.internal.AssociationRepository;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.association.internal.AssociationRetentionRepository;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Legal holds: an association under hold keeps its data and its record, whatever retention would otherwise do.
 * Every change is recorded with who made it, when and why.
 */
@Service
public class LegalHolds {

	static final int MAX_REASON = 500;

	private static final Log logger = LogFactory.getLog(LegalHolds.class);

	private final AssociationRepository associations;

	private final AssociationRetentionRepository retention;

	private final ComputerAssociations computerAssociations;

	private final AuditLog audit;

	private final Clock clock;

	public LegalHolds(AssociationRepository associations, AssociationRetentionRepository retention,
			ComputerAssociations computerAssociations, AuditLog audit, Clock clock) {
		this.associations = associations;
		this.retention = retention;
		this.computerAssociations = computerAssociations;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Places or lifts the hold. Takes the association's lock, so that a retention pass that is deleting its data
	 * right now finishes first, and any later pass sees the hold.
	 * @return the association as it is now
	 * @throws ValidationException if {@code hold} or the reason is missing, or the reason is too long
	 * @throws AssociationNotFoundException if there is no such association
	 */
	@Transactional
	public ComputerAssociation change(UUID id, LegalHoldChange change, String actor) {
		validate(change);
		this.associations.lock(id).orElseThrow(() -> new AssociationNotFoundException(id));
		var now = this.clock.instant();
		this.retention.setLegalHold(id, change.hold(), now);
		this.retention.recordLegalHoldChange(id, change.hold(), change.reason().strip(), actor, now);
		this.audit.recordAs(actor, change.hold() ? "legal-hold.place" : "legal-hold.lift", id.toString(),
				AuditOutcome.SUCCESS, "reason=" + change.reason().strip());
		logger.info((change.hold() ? "Legal hold placed on association " : "Legal hold lifted from association ") + id
				+ " by " + actor);
		return this.computerAssociations.get(id);
	}

	private static void validate(LegalHoldChange change) {
		if (change == null || change.hold() == null) {
			throw new ValidationException("hold is required (true or false)");
		}
		String reason = change.reason();
		if (reason == null || reason.isBlank()) {
			throw new ValidationException("reason is required");
		}
		if (reason.strip().length() > MAX_REASON) {
			throw new ValidationException("reason must be at most " + MAX_REASON + " characters");
		}
	}

}
