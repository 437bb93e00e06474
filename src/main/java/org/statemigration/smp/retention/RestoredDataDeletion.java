package org.statemigration.smp.retention;

import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.association.AssociationLifecycle;
import org.statemigration.smp.association.ExpiredAssociations;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.store.StateStoreDisposal;

import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes the data of restored associations whose delete-after delay has passed and that are not under legal
 * hold. Per association, in one transaction: claim it, destroy its data keys, mark it {@code DELETED}; its files
 * go once that has committed. Nothing else is ever touched: data that was not restored stays.
 */
@Component
class RestoredDataDeletion {

	private static final Log logger = LogFactory.getLog(RestoredDataDeletion.class);

	private final ExpiredAssociations expired;

	private final AssociationLifecycle lifecycle;

	private final StateStoreDisposal stores;

	private final AuditLog audit;

	private final TransactionTemplate transactions;

	RestoredDataDeletion(ExpiredAssociations expired, AssociationLifecycle lifecycle, StateStoreDisposal stores,
			AuditLog audit, PlatformTransactionManager transactions) {
		this.expired = expired;
		this.lifecycle = lifecycle;
		this.stores = stores;
		this.audit = audit;
		this.transactions = new TransactionTemplate(transactions);
	}

	/** Deletes what is due, counting each association whose data it deleted. */
	int deleteDue(Counter deleted) {
		return Candidates.process("delete the data", this.expired::withDataDue, (id) -> {
			if (!delete(id)) {
				return false;
			}
			deleted.increment();
			logger.info("Deleted the restored data of association " + id);
			return true;
		});
	}

	private boolean delete(UUID id) {
		return Boolean.TRUE.equals(this.transactions.execute((status) -> {
			if (!this.expired.claimDataDue(id)) {
				return false;
			}
			this.stores.shred(id);
			this.lifecycle.markDataDeleted(id);
			this.audit.recordAs("system", "retention.delete-data", id.toString(), AuditOutcome.SUCCESS, "restored data deleted after its delete-after delay");
			return true;
		}));
	}

}
