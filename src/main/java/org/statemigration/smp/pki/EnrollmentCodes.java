package org.statemigration.smp.pki;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

import org.statemigration.smp.association.Computer;
import org.statemigration.smp.association.Computers;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.pki.internal.EnrollmentCodeRepository;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * One-time enrollment codes. A code is 20 random characters (100 bits) from an alphabet without look-alikes,
 * grouped by dashes for reading aloud; only its SHA-256 is stored, which is enough for a secret of that entropy
 * and lets a code be found by its hash.
 */
@Service
public class EnrollmentCodes {

	private static final String ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

	private static final int LENGTH = 20;

	private final EnrollmentCodeRepository codes;

	private final Computers computers;

	private final PkiProperties properties;

	private final AuditLog audit;

	private final Clock clock;

	private final SecureRandom random = new SecureRandom();

	EnrollmentCodes(EnrollmentCodeRepository codes, Computers computers, PkiProperties properties,
			AuditLog audit, Clock clock) {
		this.codes = codes;
		this.computers = computers;
		this.properties = properties;
		this.audit = audit;
		this.clock = clock;
	}

	/** Issues a code for a known computer, valid for {@code smp.enrollment.code-ttl}. */
	@Transactional
	public IssuedEnrollmentCode issue(String computerName, String createdBy) {
		Computer computer = this.computers.get(computerName);
		StringBuilder code = new StringBuilder(LENGTH + LENGTH / 5);
		for (int i = 0; i < LENGTH; i++) {
			if (i > 0 && i % 5 == 0) {
				code.append('-');
			}
			code.append(ALPHABET.charAt(this.random.nextInt(ALPHABET.length())));
		}
		Instant now = this.clock.instant();
		Instant expiresAt = now.plus(this.properties.enrollment().codeTtl());
		this.codes.insert(UUID.randomUUID(), computer.id(), code.toString(), expiresAt, createdBy, now);
		// the code itself never goes into the record
		this.audit.recordAs(createdBy, "enrollment-code.issue", computer.name(), AuditOutcome.SUCCESS,
				"expiresAt=" + expiresAt);
		return new IssuedEnrollmentCode(code.toString(), expiresAt);
	}

}
