package org.statemigration.smp.admin.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.admin.AdminProperties;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditUnavailableException;
import org.statemigration.smp.problem.FailedAttempts;

import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Locks a username for {@code smp.admin.lockout} after {@code smp.admin.max-failed-logins} failed sign-ins, on the
 * API and the console alike. Usernames are counted whether or not such an operator exists, so a lockout tells an
 * attacker nothing about which accounts exist; a locked one is refused exactly like a wrong password (see
 * {@link OperatorUserDetailsService}). The moment a username becomes locked is recorded in the audit log
 * ({@code sign-in.lockout}), besides each failed sign-in, by the server whose failure locked it.
 * <p>
 * Counted in the table {@code sign_in_failure}, so that failures spread over the servers of a cluster add up;
 * every server sweeps the rows that no longer count once a minute, and keeps the table to
 * {@value #MAX_USERNAMES} usernames, however many names an attacker tries.
 */
@Component
public class SignInLockout {

	private static final Log logger = LogFactory.getLog(SignInLockout.class);

	// usernames are at most 100 characters: a few MB at most
	private static final int MAX_USERNAMES = 20_000;

	private static final int MAX_USERNAME_LENGTH = 100;

	private final FailedAttempts failures;

	private final Duration lockout;

	private final AuditLog audit;

	SignInLockout(AdminProperties properties, JdbcClient jdbc, TransactionTemplate transactions, Clock clock,
			AuditLog audit) {
		this.lockout = properties.lockout();
		this.audit = audit;
		this.failures = new FailedAttempts(jdbc, transactions, "sign_in_failure", properties.maxFailedLogins(),
				properties.lockout(), properties.lockout(), MAX_USERNAMES, clock);
	}

	public boolean isLocked(String username) {
		return key(username) != null && this.failures.barred(key(username)).isPresent();
	}

	/** A wrong password; a bearer token that failed names no username (its name would be the token). */
	@EventListener
	void onFailure(AuthenticationFailureBadCredentialsEvent event) {
		if (event.getAuthentication() instanceof UsernamePasswordAuthenticationToken) {
			recordFailure(event.getAuthentication().getName());
		}
	}

	/**
	 * Counts a failed proof of the password of {@code username} (a failed sign-in, or a wrong current password
	 * when changing it), and records the lockout if this failure locked the name.
	 */
	public void recordFailure(String username) {
		String key = key(username);
		if (key == null) {
			return;
		}
		if (this.failures.recordFailure(key)) {
			logger.debug("Sign-in for a username is locked after repeated failures");
			recordLockout(key);
		}
	}

	private void recordLockout(String username) {
		try {
			this.audit.recordAlone("anonymous", "sign-in.lockout", username, AuditOutcome.DENIED,
					"locked for " + this.lockout + " after repeated failures");
		}
		catch (AuditUnavailableException ex) {
			// the lockout holds either way; not being able to record it must not lift it
			logger.warn("A sign-in lockout could not be recorded in the audit log", ex);
		}
	}

	@EventListener
	void onSuccess(AuthenticationSuccessEvent event) {
		String key = key(event.getAuthentication().getName());
		if (key != null) {
			this.failures.forget(key);
		}
	}

	/** Deletes what no longer counts; a failure is logged, and the next sweep tries again. */
	@Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.MINUTES)
	void sweep() {
		try {
			this.failures.sweep();
		}
		catch (DataAccessException ex) {
			logger.warn("Could not sweep expired sign-in failures: " + ex.getMessage());
		}
	}

	/** Longer names cannot be operators (and would cost memory): they are refused anyway, nothing to count. */
	private static String key(String username) {
		if (username == null || username.isEmpty() || username.length() > MAX_USERNAME_LENGTH) {
			return null;
		}
		return username.toLowerCase(Locale.ROOT);
	}

}
