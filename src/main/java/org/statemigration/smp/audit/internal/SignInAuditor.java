package org.statemigration.smp.audit.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditUnavailableException;

import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureServiceExceptionEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.oauth2.client.authentication.OAuth2LoginAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.DPoPAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Records operator sign-ins and console sign-outs. Every failure is recorded. The API authenticates every request
 * with Basic credentials, so a success per request would drown the log: a success is recorded once per operator
 * and remote address and hour (per server), which still shows who used the API from where and when. A sign-in's
 * answer never depends on its record: when the log cannot be written (its head held longer than
 * {@code smp.audit.lock-timeout}), the sign-in goes on and a warning is logged.
 */
@Component
class SignInAuditor {

	private static final Log logger = LogFactory.getLog(SignInAuditor.class);

	private static final Duration SUCCESS_INTERVAL = Duration.ofHours(1);

	private static final int MAX_REMEMBERED = 10_000;

	private final AuditLog audit;

	private final Clock clock;

	private final Map<String, Instant> lastRecordedSuccess = new ConcurrentHashMap<>();

	SignInAuditor(AuditLog audit, Clock clock) {
		this.audit = audit;
		this.clock = clock;
	}

	@EventListener
	void succeeded(AuthenticationSuccessEvent event) {
		if (throughProvider(event.getAuthentication())) {
			return;
		}
		String username = event.getAuthentication().getName();
		String address = remoteAddress();
		Instant now = this.clock.instant();
		String key = username + "|" + address;
		Instant last = this.lastRecordedSuccess.get(key);
		if (last != null && last.plus(SUCCESS_INTERVAL).isAfter(now)) {
			return;
		}
		if (this.lastRecordedSuccess.size() >= MAX_REMEMBERED) {
			this.lastRecordedSuccess.clear();
		}
		this.lastRecordedSuccess.put(key, now);
		try {
			this.audit.recordAlone(username, "sign-in", username, AuditOutcome.SUCCESS, null);
		}
		catch (AuditUnavailableException ex) {
			// no stack trace: a caller can bring this about, and the cause is named by the audit log's own errors
			logger.warn("A sign-in could not be recorded in the audit log: " + cause(ex));
		}
	}

	/**
	 * A sign-in with the OpenID provider is recorded by the sign-in itself, with the provider, the subject and the
	 * roles (or the reason of a refusal), once per sign-in. A bearer token that failed is not recorded here: its
	 * name would be the token itself. (An API request with the provider's access token, once checked, is recorded
	 * here as an HTTP Basic one is.)
	 */
	private static boolean throughProvider(Authentication authentication) {
		return authentication instanceof OAuth2LoginAuthenticationToken
				|| authentication instanceof OAuth2AuthenticationToken
				|| authentication instanceof BearerTokenAuthenticationToken
				|| authentication instanceof DPoPAuthenticationToken;
	}

	private static String cause(AuditUnavailableException ex) {
		return (ex.getCause() != null) ? ex.getCause().getClass().getSimpleName() : "unknown";
	}

	private static String remoteAddress() {
		return (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)
				? attributes.getRequest().getRemoteAddr() : "";
	}

	/**
	 * A console session ended by its operator ({@code POST /logout}), local or through the provider, as
	 * {@code sign-out}. Sessions that expire are not recorded.
	 */
	@EventListener
	void signedOut(LogoutSuccessEvent event) {
		String username = event.getAuthentication().getName();
		try {
			this.audit.recordAlone(username, "sign-out", username, AuditOutcome.SUCCESS, null);
		}
		catch (AuditUnavailableException ex) {
			// the session has ended either way
			logger.warn("A sign-out could not be recorded in the audit log: " + cause(ex));
		}
	}

	@EventListener
	void failed(AbstractAuthenticationFailureEvent event) {
		if (event instanceof AuthenticationFailureServiceExceptionEvent) {
			// the server could not check the credentials (database unavailable): not a failed sign-in, and the
			// audit log, in the same database, could not take it either; the caller is answered 503
			logger.debug("Sign-in not checked: " + event.getException().getMessage());
			return;
		}
		if (throughProvider(event.getAuthentication())) {
			return;
		}
		String username = event.getAuthentication().getName();
		try {
			// the credentials never go in; the reason stays generic, as the answer to the caller does
			this.audit.recordAlone("anonymous", "sign-in", username, AuditOutcome.FAILURE,
					event.getException().getClass().getSimpleName());
		}
		catch (AuditUnavailableException ex) {
			// the sign-in is refused either way; not being able to record it must not change the answer
			logger.warn("A failed sign-in could not be recorded in the audit log: " + cause(ex));
		}
	}

}
