package org.statemigration.smp.association;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.statemigration.smp.association.internal.AssociationRetentionRepository;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * The associations that retention is due to act on: restored ones whose data has passed its deletion time, and
 * deleted ones whose record has aged out; never one under legal hold. Candidates are read without locks; each is
 * then claimed in the transaction that acts on it, with a lock that other servers skip rather than wait for, and
 * only while it is still due. So servers that run retention at the same time never act on one association twice.
 */
@Service
public class ExpiredAssociations {

	private final AssociationRetentionRepository associations;

	private final Clock clock;

	public ExpiredAssociations(AssociationRetentionRepository associations, Clock clock) {
		this.associations = associations;
		this.clock = clock;
	}

	/** Restored associations whose data is due for deletion now, longest overdue first. */
	@Transactional(readOnly = true)
	public List<UUID> withDataDue(int limit) {
		return this.associations.dataDue(this.clock.instant(), limit);
	}

	/**
	 * Locks the association for the caller's transaction if its data is still due: it is {@code RESTORED}, its
	 * deletion time has come, it is not under legal hold, and no other transaction holds its lock.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean claimDataDue(UUID id) {
		return this.associations.claimDataDue(id, this.clock.instant());
	}

	/** Associations whose data was deleted longer than {@code age} ago, oldest first. */
	@Transactional(readOnly = true)
	public List<UUID> withRecordDue(Duration age, int limit) {
		return this.associations.recordsDue(this.clock.instant().minus(age), limit);
	}

	/**
	 * Locks the association for the caller's transaction if its record is still due for removal: it is
	 * {@code DELETED} since longer than {@code age}, not under legal hold, and no other transaction holds it.
	 */
	@Transactional(propagation = Propagation.MANDATORY)
	public boolean claimRecordDue(UUID id, Duration age) {
		return this.associations.claimRecordDue(id, this.clock.instant().minus(age));
	}

	/** Removes a claimed association's record for good, with its legal-hold history. */
	@Transactional(propagation = Propagation.MANDATORY)
	public void removeRecord(UUID id) {
		this.associations.remove(id);
	}

}
