package org.statemigration.smp.audit;

import java.util.List;

import org.statemigration.smp.audit.internal.AuditQueries;
import org.statemigration.smp.audit.internal.AuditQueries.ChainHead;
import org.statemigration.smp.audit.internal.StoredAuditEvent;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the audit log and checks its chain. Verification walks the events in sequence order a page at a time,
 * recomputing each hash from the stored fields, so it needs little memory however long the log grows.
 */
@Service
public class AuditTrail {

	static final int MAX_PAGE_SIZE = 500;

	private static final int CHAIN_PAGE = 500;

	private static final String GENESIS = "0".repeat(64);

	private final AuditQueries queries;

	public AuditTrail(AuditQueries queries) {
		this.queries = queries;
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
	 * Checks every event up to the current head: consecutive sequence numbers from 1, each linked to the hash of
	 * the one before, each hash matching its fields, and the last one matching the head.
	 */
	public AuditVerification verify() {
		ChainHead head = this.queries.head();
		long expected = 1;
		String previous = GENESIS;
		while (expected <= head.seq()) {
			List<StoredAuditEvent> chunk = this.queries.chainAfter(expected - 1, head.seq(), CHAIN_PAGE);
			if (chunk.isEmpty()) {
				break;
			}
			for (StoredAuditEvent stored : chunk) {
				if (stored.event().seq() != expected) {
					return invalid(head, expected);
				}
				if (!stored.prevHash().equals(previous) || !stored.hashMatches(previous)) {
					return invalid(head, expected);
				}
				previous = stored.hash();
				expected++;
			}
		}
		if (expected - 1 != head.seq() || !previous.equals(head.hash())) {
			return invalid(head, expected);
		}
		return new AuditVerification(true, head.seq(), null);
	}

	private static AuditVerification invalid(ChainHead head, long seq) {
		return new AuditVerification(false, head.seq(), seq);
	}

}
