package org.statemigration.smp.recovery;

import java.util.UUID;

import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.association.EncryptionKey;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.problem.ValidationException;
import org.statemigration.smp.store.StateStores;
import org.statemigration.smp.store.StoredStateStore;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reveals an association's recovery information. The audit record, with the reason, is written before the key is
 * read and in the same transaction: if it cannot be written, nothing is revealed (DESIGN 10).
 */
@Service
public class RecoveryInformationViews {

	static final String ACTION = "recovery-information.view";

	private final ComputerAssociations associations;

	private final StateStores stores;

	private final AuditLog audit;

	public RecoveryInformationViews(ComputerAssociations associations, StateStores stores, AuditLog audit) {
		this.associations = associations;
		this.stores = stores;
		this.audit = audit;
	}

	/**
	 * The association's key, algorithm and current store.
	 * @throws ValidationException if the reason is missing, shorter than 10 or longer than 500 characters
	 * @throws org.statemigration.smp.association.AssociationNotFoundException if there is no such association
	 * @throws org.statemigration.smp.audit.AuditUnavailableException if the view cannot be audited
	 */
	@Transactional
	public RecoveryInformation view(UUID id, RecoveryInformationRequest request) {
		String reason = Reasons.valid((request != null) ? request.reason() : null);
		this.associations.parties(id);
		this.audit.record(ACTION, id.toString(), AuditOutcome.SUCCESS, reason);
		EncryptionKey key = this.associations.encryptionKey(id);
		StoredStateStore store = this.stores.findCurrent(id).orElse(null);
		String location = (store != null) ? this.stores.location(store).toString() : null;
		return new RecoveryInformation(id, key.key(), key.algorithm(), location, (store != null) ? store.sha256() : null);
	}

}
