package org.statemigration.smp.audit.internal;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditUnavailableException;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.stereotype.Component;

/**
 * Records failed operator sign-ins. Successful ones are not recorded here: the API authenticates every request
 * with Basic credentials, so a success event per request would drown the log; the console's sign-in, which is
 * one per session, is where successes belong.
 */
@Component
class SignInAuditor {

	private static final Log logger = LogFactory.getLog(SignInAuditor.class);

	private final AuditLog audit;

	SignInAuditor(AuditLog audit) {
		this.audit = audit;
	}

	@EventListener
	void failed(AbstractAuthenticationFailureEvent event) {
		String username = event.getAuthentication().getName();
		try {
			// the credentials never go in; the reason stays generic, as the answer to the caller does
			this.audit.recordAlone("anonymous", "sign-in", username, AuditOutcome.FAILURE,
					event.getException().getClass().getSimpleName());
		}
		catch (AuditUnavailableException ex) {
			// the sign-in is refused either way; not being able to record it must not change the answer
			logger.warn("A failed sign-in could not be recorded in the audit log", ex);
		}
	}

}
