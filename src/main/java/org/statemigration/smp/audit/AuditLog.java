package org.statemigration.smp.audit;

import java.time.Clock;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import org.statemigration.smp.audit.internal.AuditGroupCommit;
import org.statemigration.smp.audit.internal.AuditGroupCommit.AuditGroupCommitException;
import org.statemigration.smp.audit.internal.AuditRepository;
import org.statemigration.smp.audit.internal.NewAuditEvent;
import org.statemigration.smp.crypto.CryptoException;

import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Appends events to the audit log. {@link #record} joins the caller's transaction: an action and its record
 * commit together or not at all, and if the record cannot be written the action fails with
 * {@link AuditUnavailableException} (fail-closed). {@link #recordAlone} writes in a transaction of its own, for
 * events that must stay even when the action is refused (a denied attempt). The actor and the remote address
 * come from the current request unless given. Never pass a secret in {@code target} or {@code detail}.
 */
@Service
public class AuditLog {

	private static final int MAX_DETAIL = 2000;

	private final AuditRepository events;

	private final AuditGroupCommit groupCommit;

	private final Clock clock;

	public AuditLog(AuditRepository events, AuditGroupCommit groupCommit, Clock clock) {
		this.events = events;
		this.groupCommit = groupCommit;
		this.clock = clock;
	}

	/** Records an event in the caller's transaction (or a new one); fails closed. */
	@Transactional(propagation = Propagation.REQUIRED)
	public void record(String action, String target, AuditOutcome outcome, String detail) {
		append(currentActor(), action, target, outcome, detail);
	}

	/** Records an event for a given actor (a computer, or the system), in the caller's transaction. */
	@Transactional(propagation = Propagation.REQUIRED)
	public void recordAs(String actor, String action, String target, AuditOutcome outcome, String detail) {
		append(actor, action, target, outcome, detail);
	}

	/**
	 * Records an event in a transaction of its own, so it stays even if the caller's action is rolled back; with
	 * the other such events of the same moment, in one transaction ({@link AuditGroupCommit}). Returns once it has
	 * committed.
	 */
	public void recordAlone(String actor, String action, String target, AuditOutcome outcome, String detail) {
		NewAuditEvent event = event((actor != null) ? actor : currentActor(), action, target, outcome, detail);
		try {
			this.groupCommit.append(event);
		}
		catch (AuditGroupCommitException ex) {
			if (ex.getCause() instanceof CannotCreateTransactionException noConnection) {
				// the database is out of reach or out of connections, as for any transaction
				throw new CannotCreateTransactionException(noConnection.getMessage(), ex);
			}
			throw new AuditUnavailableException(ex);
		}
	}

	private void append(String actor, String action, String target, AuditOutcome outcome, String detail) {
		try {
			this.events.appendAll(List.of(event(actor, action, target, outcome, detail)));
		}
		catch (DataAccessException | IllegalStateException | CryptoException ex) {
			throw new AuditUnavailableException(ex);
		}
	}

	private NewAuditEvent event(String actor, String action, String target, AuditOutcome outcome, String detail) {
		return new NewAuditEvent(actor, action, target, outcome, truncate(oneLine(detail)), remoteAddress(),
				this.clock.instant());
	}

	private static String currentActor() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		// Spring Security's stand-in for no one (named anonymousUser) is no actor either
		boolean someone = authentication != null && authentication.isAuthenticated()
				&& !(authentication instanceof AnonymousAuthenticationToken);
		return someone ? authentication.getName() : "anonymous";
	}

	private static String remoteAddress() {
		if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes) {
			HttpServletRequest request = attributes.getRequest();
			return request.getRemoteAddr();
		}
		return null;
	}

	private static String oneLine(String text) {
		return (text != null) ? text.replaceAll("\\p{Cntrl}", " ") : null;
	}

	private static String truncate(String text) {
		return (text != null && text.length() > MAX_DETAIL) ? text.substring(0, MAX_DETAIL) : text;
	}

}
