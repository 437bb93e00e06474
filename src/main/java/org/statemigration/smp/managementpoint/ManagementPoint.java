package org.statemigration.smp.managementpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.association.AssociationParties;
import org.statemigration.smp.association.AssociationState;
import org.statemigration.smp.association.ComputerAssociation;
import org.statemigration.smp.association.ComputerAssociations;
import org.statemigration.smp.association.EncryptionKey;
import org.statemigration.smp.association.KeyAndAccounts;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditUnavailableException;
import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.problem.InvalidStateException;
import org.statemigration.smp.settings.RuntimeSettings;
import org.statemigration.smp.settings.Settings;

import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Request and release of state stores, and the check that guards every client request: the token must be valid
 * for this certificate, and cover this association and operation, with this computer still its source (capture)
 * or destination (restore) and the association in the matching state. What a capture or a restore does between
 * its request and its release is {@link Captures}' and {@link Restores}' work.
 */
@Service
public class ManagementPoint {

	/**
	 * The audit action of a release that reports a failed capture or restore; its detail is
	 * {@code operation=CAPTURE|RESTORE}, then {@code message=} and the client's message when it gave one.
	 */
	public static final String RELEASE_FAILED = "store.release-failed";

	/** The audit action of a capture its source released with success. */
	private static final String CAPTURE_COMPLETED = "capture.complete";

	/** The audit action of a restore its destination confirmed. */
	private static final String RESTORE_CONFIRMED = "restore.confirm";

	private static final Log logger = LogFactory.getLog(ManagementPoint.class);

	private final Captures captures;

	private final Restores restores;

	private final ComputerAssociations associations;

	private final ManagementPointTokens tokens;

	private final Settings settings;

	private final AuditLog audit;

	private final TransferSlots slots;

	private final TransactionTemplate transactions;

	private final TransactionTemplate readOnly;

	/**
	 * @param transactions the transactions of the checks and the release, which end before a refusal or a failed
	 * release is recorded in the audit log's own transaction: a request never holds two database connections at
	 * once, so that as many of them as there are connections in the pool cannot all wait for a second one
	 */
	public ManagementPoint(Captures captures, Restores restores, ComputerAssociations associations,
			ManagementPointTokens tokens, Settings settings, AuditLog audit, TransferSlots slots,
			TransactionTemplate transactions) {
		this.captures = captures;
		this.restores = restores;
		this.associations = associations;
		this.tokens = tokens;
		this.settings = settings;
		this.audit = audit;
		this.slots = slots;
		this.transactions = new TransactionTemplate(transactions.getTransactionManager(), transactions);
		this.readOnly = new TransactionTemplate(transactions.getTransactionManager(), transactions);
		this.readOnly.setReadOnly(true);
	}

	/**
	 * Picks the computer's association for the operation, moves it to CAPTURING or RESTORING and issues a token.
	 * While the server runs its most transfers at once, nothing is granted: the computer is told to come back
	 * rather than handed a token for a transfer that would be refused.
	 * @param storeUrlBase the URL prefix of stores, e.g. {@code https://host:8443/api/v1/stores/}
	 */
	public StateStoreGrant request(EnrolledComputer computer, Operation operation, String storeUrlBase) {
		Begun begun = this.transactions.execute((status) -> begin(computer, operation));
		// signed once the transaction has ended, so that its connection is not held while the signature is worked
		// out; should signing fail, the association is CAPTURING or RESTORING without a token, as after a failed
		// release, and the computer asks again
		IssuedToken token = this.tokens.issue(computer, begun.associationId(), operation, begun.tokenLifetime());
		logger.info(operation + " of association " + begun.associationId() + " requested by "
				+ computer.computerName());
		EncryptionKey key = begun.keyAndAccounts().key();
		return new StateStoreGrant(begun.associationId(), operation, token.token(), token.expiresAt(),
				storeUrlBase + begun.associationId(), key.key(), key.algorithm(), begun.keyAndAccounts().userAccounts());
	}

	private Begun begin(EnrolledComputer computer, Operation operation) {
		this.slots.checkCapacity();
		RuntimeSettings settings = this.settings.current();
		GrantedAssociation granted = (operation == Operation.CAPTURE) ? this.captures.begin(computer, settings)
				: this.restores.begin(computer);
		return new Begun(granted.id(), granted.keyAndAccounts(), settings.tokenTtl());
	}

	/**
	 * Checks that the token lets this computer perform the operation on the association.
	 * @param associationId the association the request names, or null for the token's own
	 * @throws TokenInvalidException if the token itself is not valid for this connection
	 * @throws TokenNotForThisRequestException if it is valid but covers something else
	 */
	public ManagementPointToken authorize(EnrolledComputer computer, String bearer, Operation operation,
			UUID associationId) {
		ManagementPointToken token;
		try {
			// no transaction: its one query (is the token spent?) takes a connection for itself alone, not for as
			// long as the signature check works
			token = this.tokens.verify(bearer, computer);
		}
		catch (TokenInvalidException ex) {
			throw denied(computer, ex, "token invalid");
		}
		try {
			this.readOnly.executeWithoutResult((status) -> check(computer, token, operation, associationId));
		}
		catch (TokenNotForThisRequestException ex) {
			throw denied(computer, ex, "token does not cover this request");
		}
		return token;
	}

	/**
	 * The token of a release, verified for this computer's certificate alone; a refusal is recorded (without the
	 * token) in a transaction of its own, so that it stays. What the token covers and whether it is spent are
	 * left to the {@linkplain #release release}, which spends it first thing in the transaction that acts on it.
	 * @throws TokenInvalidException if the token is not valid for this connection
	 */
	public ManagementPointToken verifyForRelease(EnrolledComputer computer, String bearer) {
		try {
			// no transaction and no query: the signature check holds no database connection
			return this.tokens.verifyUnlessSpent(bearer, computer);
		}
		catch (TokenInvalidException ex) {
			throw denied(computer, ex, "token invalid");
		}
	}

	private RuntimeException denied(EnrolledComputer computer, RuntimeException refusal, String reason) {
		this.audit.recordAlone(computer.computerName(), "client.refused", computer.certificateSerial(),
				AuditOutcome.DENIED, reason);
		return refusal;
	}

	/** @return the association's parties and state, as read for the check */
	private AssociationParties check(EnrolledComputer computer, ManagementPointToken token, Operation operation,
			UUID associationId) {
		if (token.operation() != operation || (associationId != null && !token.associationId().equals(associationId))) {
			throw new TokenNotForThisRequestException("The token does not cover this association or operation");
		}
		AssociationParties association = this.associations.parties(token.associationId());
		boolean party = (operation == Operation.CAPTURE) ? association.isSource(computer.computerId())
				: association.isDestination(computer.computerId());
		if (!party) {
			throw new TokenNotForThisRequestException("This computer no longer takes part in the association");
		}
		AssociationState expected = (operation == Operation.CAPTURE) ? AssociationState.CAPTURING
				: AssociationState.RESTORING;
		if (association.state() != expected) {
			throw new InvalidStateException("The association is " + association.state() + ", not " + expected);
		}
		return association;
	}

	/**
	 * Releases the store: on success a capture becomes CAPTURED and a restore RESTORED (with its deletion time);
	 * on failure the state stays. The token, {@linkplain #verifyForRelease verified} for this computer, is spent
	 * either way, and a spent one is refused. A failure is recorded once the release has committed, in a
	 * transaction of its own.
	 */
	public ReleaseResult release(EnrolledComputer computer, ManagementPointToken token, boolean success,
			String message) {
		ReleaseResult result;
		try {
			result = this.transactions.execute((status) -> releaseStore(computer, token, success));
		}
		catch (TokenInvalidException ex) {
			// spent already: refused and recorded as any invalid token is, once the transaction has rolled back
			throw denied(computer, ex, "token invalid");
		}
		if (!success) {
			logger.warn(token.operation() + " of association " + token.associationId() + " reported failed by "
					+ computer.computerName() + ((message != null) ? ": " + oneLine(message) : ""));
			recordFailure(computer, token, message);
		}
		return result;
	}

	private ReleaseResult releaseStore(EnrolledComputer computer, ManagementPointToken token, boolean success) {
		// first, so that a spent token is refused as such whatever the association's state now; a refusal below
		// rolls the spending back with the rest
		this.tokens.spend(token);
		AssociationParties checked = check(computer, token, token.operation(), token.associationId());
		UUID id = token.associationId();
		Instant deleteAt = null;
		AssociationState state;
		if (success) {
			if (token.operation() == Operation.CAPTURE) {
				this.captures.complete(id);
			}
			else {
				deleteAt = this.restores.confirm(id);
			}
			state = recordTransfer(computer, id,
					(token.operation() == Operation.CAPTURE) ? CAPTURE_COMPLETED : RESTORE_CONFIRMED);
		}
		else {
			// the state stays as the check read it (the failure is recorded after the commit)
			state = checked.state();
		}
		return new ReleaseResult(id, state, deleteAt);
	}

	/**
	 * Records the failure for the migration status report, in a transaction of its own: the operator sees which
	 * migrations failed and why, and the release goes on even when the audit log cannot take the record.
	 */
	private void recordFailure(EnrolledComputer computer, ManagementPointToken token, String message) {
		try {
			this.audit.recordAlone(computer.computerName(), RELEASE_FAILED, token.associationId().toString(),
					AuditOutcome.FAILURE,
					"operation=" + token.operation() + ((message != null) ? " message=" + oneLine(message) : ""));
		}
		catch (AuditUnavailableException | TransactionException | DataAccessException ex) {
			// its own transaction could not even begin (no connection free in time, say): the release goes on
			logger.warn("The failed " + token.operation() + " of association " + token.associationId()
					+ " could not be recorded in the audit log", ex);
		}
	}

	/**
	 * Records a capture or restore that the computer released with success, in the release's transaction: the
	 * association, its source and destination and the size of its data.
	 * @return the association's state after the release, read with the rest
	 */
	private AssociationState recordTransfer(EnrolledComputer computer, UUID id, String action) {
		ComputerAssociation association = this.associations.get(id);
		this.audit.recordAs(computer.computerName(), action, id.toString(), AuditOutcome.SUCCESS,
				"source=" + association.sourceComputer() + " destination=" + association.destinationComputer()
						+ " sizeBytes=" + association.storeSizeBytes());
		return association.state();
	}

	/** Client text for the log: one line, bounded, so it cannot forge log entries. */
	private static String oneLine(String message) {
		String line = message.replaceAll("[\\p{Cntrl}]", " ");
		return (line.length() > 500) ? line.substring(0, 500) + "..." : line;
	}

	/** What the request's transaction hands on to the grant. */
	private record Begun(UUID associationId, KeyAndAccounts keyAndAccounts, Duration tokenLifetime) {
	}

}
