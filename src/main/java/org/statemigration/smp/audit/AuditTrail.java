package org.statemigration.smp.audit;

import java.util.List;

import org.statemigration.smp.audit.internal.AuditQueries;
import org.statemigration.smp.audit.internal.ChainVerifier;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the audit log and checks it. The listing shows the events up to the head of the chain; rows past it were
 * never appended by smp and show only in verification.
 */
@Service
public class AuditTrail {

	static final int MAX_PAGE_SIZE = 500;

	private final AuditQueries queries;

	private final ChainVerifier verifier;

	public AuditTrail(AuditQueries queries, ChainVerifier verifier) {
		this.queries = queries;
		this.verifier = verifier;
	}

	@Transactional(readOnly = true)
	public AuditPage search(AuditFilter filter, int page, int size) {
		if (page < 0 || size < 1 || size > MAX_PAGE_SIZE) {
			throw new ValidationException("page must be >= 0 and size 1-" + MAX_PAGE_SIZE);
		}
		if (filter.from() != null && filter.to() != null && filter.to().isBefore(filter.from())) {
			throw new ValidationException("to must not be before from");
		}
		List<AuditEvent> items = this.queries.search(filter, (long) page * size, size);
		return new AuditPage(items, page, size, this.queries.count(filter));
	}

	/**
	 * Checks the whole log: the chain up to the head (each event linked to the one before and matching its MAC),
	 * that no row lies past the head, and that the audit file agrees with the database.
	 */
	public AuditVerification verify() {
		return this.verifier.verify();
	}

}
