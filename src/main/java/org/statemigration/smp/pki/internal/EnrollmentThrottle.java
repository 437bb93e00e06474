package org.statemigration.smp.pki.internal;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditUnavailableException;
import org.statemigration.smp.pki.PkiProperties;
import org.statemigration.smp.problem.FailedAttempts;
import org.statemigration.smp.problem.RateLimitedException;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Slows down guessing of enrollment codes: after {@code smp.enrollment.max-failures} wrong, used or expired codes
 * from one remote address within {@code smp.enrollment.failure-window}, that address waits out the window before
 * it may try again, even with a right code.
 * <p>
 * Counted in the table {@code enrollment_failure}, so that failures spread over the servers of a cluster add up;
 * every server sweeps the rows that no longer count once a minute, and keeps the table to {@value #MAX_ADDRESSES}
 * addresses, however many addresses an attacker has.
 */
@Component
public class EnrollmentThrottle {

	private static final Log logger = LogFactory.getLog(EnrollmentThrottle.class);

	// about 100 bytes an address: a few MB at most
	private static final int MAX_ADDRESSES = 50_000;

	private final FailedAttempts failures;

	private final AuditLog audit;

	public EnrollmentThrottle(PkiProperties properties, JdbcClient jdbc, TransactionTemplate transactions,
			Clock clock, AuditLog audit) {
		this.audit = audit;
		PkiProperties.Enrollment enrollment = properties.enrollment();
		this.failures = new FailedAttempts(jdbc, transactions, "enrollment_failure", enrollment.maxFailures(),
				enrollment.failureWindow(), enrollment.failureWindow(), MAX_ADDRESSES, clock);
	}

	/**
	 * @throws RateLimitedException if the address has failed too often lately
	 */
	public void checkAllowed(String remoteAddress) {
		this.failures.barred(remoteAddress).ifPresent((wait) -> {
			logger.debug("Enrollment from " + remoteAddress + " refused: too many failed attempts");
			refusedRecorded(remoteAddress);
			throw new RateLimitedException("Too many failed enrollment attempts; try again later", wait);
		});
	}

	private void refusedRecorded(String remoteAddress) {
		try {
			this.audit.recordAlone("anonymous", "enrollment", remoteAddress, AuditOutcome.DENIED,
					"too many failed attempts from this address");
		}
		catch (AuditUnavailableException ex) {
			logger.warn("A throttled enrollment could not be recorded in the audit log", ex);
		}
	}

	public void recordFailure(String remoteAddress) {
		this.failures.recordFailure(remoteAddress);
	}

	/** Deletes what no longer counts; a failure is logged, and the next sweep tries again. */
	@Scheduled(fixedDelay = 1, initialDelay = 1, timeUnit = TimeUnit.MINUTES)
	void sweep() {
		try {
			this.failures.sweep();
		}
		catch (DataAccessException ex) {
			logger.warn("Could not sweep expired enrollment failures: " + ex.getMessage());
		}
	}

}
