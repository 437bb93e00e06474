package org.statemigration.smp.pki.internal;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.association.Computer;
import org.statemigration.smp.association.ComputerIdentities;
import org.statemigration.smp.association.ComputerIdentity;
import org.statemigration.smp.association.ComputerIdentityConflictException;
import org.statemigration.smp.association.Computers;
import org.statemigration.smp.association.IdentityMatch;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.pki.EnrollmentCodeInvalidException;
import org.statemigration.smp.pki.PkiProperties;
import org.statemigration.smp.pki.internal.EnrollmentCodeRepository.UnusedCode;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Enrolls a computer: checks its one-time code, has the CA sign its CSR (the private key never leaves the
 * computer), and records the certificate. The code is spent only when the certificate is issued, so a malformed
 * CSR does not burn it; a wrong, used or expired code all get the same answer.
 */
@Service
public class Enrollment {

	private static final Log logger = LogFactory.getLog(Enrollment.class);

	private static final int MAX_CSR_LENGTH = 16 * 1024;

	// a code has 23 characters with its dashes: an answer far longer is not one, and not worth hashing
	private static final int MAX_CODE_LENGTH = 64;

	private final EnrollmentCodeRepository codes;

	private final CertificateAuthority authority;

	private final ClientCertificateRepository certificates;

	private final Computers computers;

	private final ComputerIdentities identities;

	private final PkiProperties properties;

	private final AuditLog audit;

	private final Clock clock;

	public Enrollment(EnrollmentCodeRepository codes, CertificateAuthority authority,
			ClientCertificateRepository certificates, Computers computers, ComputerIdentities identities,
			PkiProperties properties, AuditLog audit, Clock clock) {
		this.codes = codes;
		this.authority = authority;
		this.certificates = certificates;
		this.computers = computers;
		this.identities = identities;
		this.properties = properties;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * Enrolls the computer that the code was issued for, and no other: what the computer presents of itself (its
	 * name, SMBIOS UUID, MAC addresses) can confirm that computer or refuse, never choose another one.
	 * @param remoteAddress where the request came from: with the name its CSR claims, the actor of a failure
	 * @param presentedName the name the computer gives itself, or {@code null}
	 * @param smbiosGuid its SMBIOS UUID, or {@code null}
	 * @param macAddresses its adapters' MAC addresses, or {@code null}
	 * @throws EnrollmentCodeInvalidException if the code is wrong, used or expired
	 * @throws ValidationException if the CSR is malformed, badly signed or has a weak key, or what the computer
	 * presents of itself is malformed
	 * @throws ComputerIdentityConflictException if what it presents contradicts the code's computer
	 */
	@Transactional
	public EnrollmentResult enroll(String code, String csrPem, String remoteAddress, String presentedName,
			String smbiosGuid, List<String> macAddresses) {
		UnusedCode usable = findUsable(code).orElse(null);
		if (usable == null) {
			throw refused(CertificationRequests.claimant(csrPem, remoteAddress), null, "enrollment code not valid");
		}
		if (csrPem == null || csrPem.isBlank() || csrPem.length() > MAX_CSR_LENGTH) {
			throw new ValidationException("csr must be a PEM PKCS#10 certificate request");
		}
		if (presentedName != null) {
			Computers.validName(presentedName, "computerName");
		}
		ComputerIdentity presented = ComputerIdentity.of(smbiosGuid, macAddresses, "");
		Computer computer = this.computers.get(usable.computerId());
		IdentityMatch match;
		try {
			match = this.identities.recognise(computer.id(), presentedName, presented).orElse(null);
		}
		catch (ComputerIdentityConflictException ex) {
			// the code stays unspent: the operator sorts out which computer this is and the right one enrolls
			this.audit.recordAlone(CertificationRequests.claimant(csrPem, remoteAddress), "enrollment", computer.name(),
					AuditOutcome.FAILURE, "identity conflict: " + ex.getMessage()
							+ presentedDetail(presentedName, presented));
			throw ex;
		}
		X509Certificate certificate;
		try {
			certificate = this.authority.issueClientCertificate(csrPem, computer.name(),
					this.properties.ca().clientCertValidity());
		}
		catch (InvalidCsrException ex) {
			this.audit.recordAlone(CertificationRequests.claimant(csrPem, remoteAddress), "enrollment", computer.name(),
					AuditOutcome.FAILURE, "csr not acceptable");
			throw new ValidationException("csr is not acceptable: " + ex.getMessage());
		}
		if (!this.codes.markUsed(usable.id(), this.clock.instant())) {
			throw refused(CertificationRequests.claimant(csrPem, remoteAddress), computer.name(),
					"enrollment code already used");
		}
		String pem = CertificateAuthority.toPem(certificate);
		this.certificates.insert(certificate, computer.id(), this.clock.instant());
		ComputerIdentity learned = this.identities.learn(computer.id(), presented);
		this.audit.recordAs(computer.name(), "enrollment", computer.name(), AuditOutcome.SUCCESS,
				"certificate serial " + CertificateAuthority.serialHex(certificate)
						+ ((match != null) ? " matchedBy=" + match : "") + presentedDetail(presentedName, presented)
						+ (learned.isEmpty() ? "" : " recorded smbiosGuid=" + learned.smbiosGuid() + " macAddresses="
								+ learned.macAddresses()));
		logger.info("Computer " + computer.name() + " enrolled; certificate serial "
				+ CertificateAuthority.serialHex(certificate)
				+ ((match != null && match.byIdentity()) ? "; recognised by " + match + " as " + presentedName : ""));
		return new EnrollmentResult(computer.name(), pem, this.authority.certificatePem(), match);
	}

	private static String presentedDetail(String presentedName, ComputerIdentity presented) {
		if (presentedName == null && presented.isEmpty()) {
			return "";
		}
		return " presented name=" + presentedName + " smbiosGuid=" + presented.smbiosGuid() + " macAddresses="
				+ presented.macAddresses();
	}

	/** The usable code matching what the computer presented, if any. */
	private Optional<UnusedCode> findUsable(String presented) {
		if (presented == null || presented.length() > MAX_CODE_LENGTH) {
			return Optional.empty();
		}
		return this.codes.findUsable(presented, this.clock.instant());
	}

	/**
	 * Records the failed attempt in a transaction of its own (it must stay) and gives the generic answer. The
	 * actor is the claimant (its address and the name it claims), never the code it presented.
	 */
	private EnrollmentCodeInvalidException refused(String claimant, String computerName, String reason) {
		this.audit.recordAlone(claimant, "enrollment", computerName, AuditOutcome.FAILURE, reason);
		return invalidCode();
	}

	private static EnrollmentCodeInvalidException invalidCode() {
		return new EnrollmentCodeInvalidException("The enrollment code is not valid");
	}

}
