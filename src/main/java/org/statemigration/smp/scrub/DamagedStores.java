package org.statemigration.smp.scrub;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.store.StoreCheck;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The versions the integrity scrub found damaged. A marked version is never handed out whole: a restore of it is
 * refused ({@link #refuseRestore}). Each mark is audited as it is made; it goes when its version goes (replaced by
 * a new capture, or deleted), or when an operator checks the version again and finds it intact.
 */
@Service
public class DamagedStores {

	private final ScrubRepository rows;

	private final AuditLog audit;

	private final Clock clock;

	DamagedStores(ScrubRepository rows, AuditLog audit, Clock clock) {
		this.rows = rows;
		this.audit = audit;
		this.clock = clock;
	}

	/** The committed versions marked damaged, oldest finding first. */
	@Transactional(readOnly = true)
	public List<DamagedStore> list() {
		return this.rows.damaged();
	}

	/** The mark of a version, if it has one. */
	@Transactional(readOnly = true)
	public Optional<DamagedStore> find(UUID storeId) {
		return this.rows.damaged(storeId);
	}

	/**
	 * Refuses a restore of the association's committed version if it is marked damaged.
	 * @throws StoreDamagedException if it is
	 */
	@Transactional(readOnly = true)
	public void refuseRestore(UUID associationId) {
		Optional<DamagedStore> damaged = this.rows.damagedCurrent(associationId);
		if (damaged.isPresent()) {
			DamagedStore store = damaged.get();
			throw new StoreDamagedException("The state store of this association (version " + store.version()
					+ ") failed the integrity check on " + store.foundAt() + " (" + store.verdict()
					+ "): it cannot be restored whole");
		}
	}

	/**
	 * Marks a damaged version and audits the finding, in one transaction, unless it is marked already.
	 * @param actor who records it: {@code system} for the scrub and the command, else the operator
	 * @return true if this marked it
	 */
	@Transactional
	public boolean mark(StoreCheck check, String foundBy, String actor) {
		if (!check.damaged()) {
			throw new IllegalArgumentException("Version " + check.storeId() + " is not damaged: " + check.verdict());
		}
		if (!this.rows.mark(check, foundBy, this.clock.instant())) {
			return false;
		}
		this.audit.recordAs(actor, "store.damaged", check.associationId().toString(), AuditOutcome.FAILURE,
				"state store " + check.storeId() + " version " + check.version() + " at " + check.location() + ": "
						+ check.verdict().slug() + ": " + check.detail() + " (found by " + foundBy + ")");
		return true;
	}

	/**
	 * Clears the mark of a version that a check found intact again, and audits it, in one transaction.
	 * @return true if it was marked
	 */
	@Transactional
	public boolean clear(StoreCheck check, String actor) {
		if (check.verdict() != StoreCheck.Verdict.INTACT) {
			throw new IllegalArgumentException("Version " + check.storeId() + " is not intact: " + check.verdict());
		}
		if (!this.rows.clear(check.storeId())) {
			return false;
		}
		this.audit.recordAs(actor, "store.damage-cleared", check.associationId().toString(), AuditOutcome.SUCCESS,
				"state store " + check.storeId() + " version " + check.version() + " checked intact again: "
						+ check.detail());
		return true;
	}

	long count() {
		return this.rows.damaged().size();
	}

}
