package org.statemigration.smp.pki.internal;

import java.security.cert.X509Certificate;
import java.time.Clock;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.pki.CertificateBlockedException;
import org.statemigration.smp.pki.ClientCertificates;
import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.pki.PkiProperties;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Renews an enrolled computer's certificate before it expires: the computer proves itself with its current
 * certificate (mutual TLS) and sends a CSR, usually for a fresh key pair. The new certificate belongs to the same
 * computer. The current one is not revoked: it keeps working until it expires, so a computer that loses the answer
 * can still renew again; an operator who distrusts a computer blocks each of its certificates.
 */
@Service
public class CertificateRenewal {

	private static final Log logger = LogFactory.getLog(CertificateRenewal.class);

	private static final int MAX_CSR_LENGTH = 16 * 1024;

	private final CertificateAuthority authority;

	private final ClientCertificateRepository certificates;

	private final ClientCertificates clientCertificates;

	private final PkiProperties properties;

	private final Clock clock;

	private final AuditLog audit;

	public CertificateRenewal(CertificateAuthority authority, ClientCertificateRepository certificates,
			ClientCertificates clientCertificates, PkiProperties properties, Clock clock, AuditLog audit) {
		this.authority = authority;
		this.certificates = certificates;
		this.clientCertificates = clientCertificates;
		this.properties = properties;
		this.clock = clock;
		this.audit = audit;
	}

	/**
	 * @param computer the computer as authenticated by its current certificate on this request
	 * @throws CertificateBlockedException if that certificate was blocked since the request was authenticated
	 * @throws ValidationException if the CSR is malformed, badly signed or has a weak key
	 */
	@Transactional
	public EnrollmentResult renew(EnrolledComputer computer, String csrPem) {
		if (csrPem == null || csrPem.isBlank() || csrPem.length() > MAX_CSR_LENGTH) {
			throw new ValidationException("csr must be a PEM PKCS#10 certificate request");
		}
		if (this.clientCertificates.isBlocked(computer.thumbprint())) {
			throw new CertificateBlockedException("This client certificate has been blocked");
		}
		X509Certificate certificate;
		try {
			certificate = this.authority.issueClientCertificate(csrPem, computer.computerName(),
					this.properties.ca().clientCertValidity());
		}
		catch (InvalidCsrException ex) {
			throw new ValidationException("csr is not acceptable: " + ex.getMessage());
		}
		String pem = CertificateAuthority.toPem(certificate);
		String serial = CertificateAuthority.serialHex(certificate);
		this.certificates.insert(certificate, computer.computerId(), this.clock.instant());
		this.audit.recordAs(computer.computerName(), "certificate.renew", computer.computerName(), AuditOutcome.SUCCESS,
				"certificate serial " + computer.certificateSerial() + " renewed as " + serial);
		logger.info("Computer " + computer.computerName() + " renewed certificate " + computer.certificateSerial()
				+ "; new serial " + serial);
		return new EnrollmentResult(computer.computerName(), pem, this.authority.certificatePem(), null);
	}

}
