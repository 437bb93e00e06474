package org.statemigration.smp.retention;

import java.time.Duration;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.association.ExpiredAssociations;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.store.StateStoreDisposal;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Removes the records of associations whose data was deleted longer than {@code delete-associations-after} ago,
 * with the rows of their store's versions; never one under legal hold.
 */
@Component
class AgedAssociationRemoval {

	private static final Log logger = LogFactory.getLog(AgedAssociationRemoval.class);

	private final ExpiredAssociations expired;

	private final StateStoreDisposal stores;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	AgedAssociationRemoval(ExpiredAssociations expired, StateStoreDisposal stores, AuditLog audit,
			PlatformTransactionManager transactions) {
		this.expired = expired;
		this.stores = stores;
		this.audit = audit;
		this.transactions = new TransactionTemplate(transactions);
	}

	/** Removes the records that are due, counting each one. */
	int removeDue(Duration age, Counter removed) {
		return Candidates.process("remove the record", (limit) -> this.expired.withRecordDue(age, limit), (id) -> {
			if (!remove(id, age)) {
				return false;
			}
			removed.increment();
			logger.info("Removed the record of association " + id + ", whose data was deleted more than " + age
					+ " ago");
			return true;
		});
	}

	private boolean remove(UUID id, Duration age) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			if (!this.expired.claimRecordDue(id, age)) {
				return false;
			}
			this.stores.forget(id);
			this.expired.removeRecord(id);
			this.audit.recordAs("system", "retention.remove-association", id.toString(), AuditOutcome.SUCCESS, "record removed " + age + " after its data was deleted");
			return true;
		}));
	}

}
