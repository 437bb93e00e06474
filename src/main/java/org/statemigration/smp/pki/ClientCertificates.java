package org.statemigration.smp.pki;

import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.pki.internal.CertificateAuthority;
import org.statemigration.smp.pki.internal.ClientCertificateRepository;
import org.statemigration.smp.pki.internal.ClientCertificateRepository.IssuedCertificate;
import org.statemigration.smp.problem.NotFoundException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Identifies computers by the client certificate of their TLS connection, and lets operators block a certificate.
 * A certificate counts only if this server issued it (it is looked up by its SHA-256 thumbprint), it is within
 * its validity, and it is not blocked.
 */
@Service
public class ClientCertificates {

	private static final Log logger = LogFactory.getLog(ClientCertificates.class);

	private static final int MAX_REASON = 500;

	private final ClientCertificateRepository certificates;

	private final AuditLog audit;

	private final Clock clock;

	ClientCertificates(ClientCertificateRepository certificates, AuditLog audit, Clock clock) {
		this.certificates = certificates;
		this.audit = audit;
		this.clock = clock;
	}

	/**
	 * The computer that holds this certificate.
	 * @throws ClientNotAuthenticatedException if this server did not issue it or it is out of its validity
	 * @throws CertificateBlockedException if it is blocked
	 */
	public EnrolledComputer authenticate(X509Certificate certificate) {
		String thumbprint = CertificateAuthority.thumbprintSha256Hex(certificate);
		// one statement, in no transaction: the certificate and its computer's name are read together, and the
		// connection is given back before anything else happens, so a request never holds two at once and many
		// blocked computers at a time cannot leave every connection waiting for another
		Identified identified = identify(thumbprint);
		if (identified.blocked()) {
			this.audit.recordAlone(identified.computer().computerName(), "client.refused",
					identified.computer().certificateSerial(), AuditOutcome.DENIED, "certificate blocked");
			throw new CertificateBlockedException("This client certificate has been blocked");
		}
		return identified.computer();
	}

	private Identified identify(String thumbprint) {
		IssuedCertificate issued = this.certificates.findByThumbprint(thumbprint).orElse(null);
		if (issued == null) {
			logger.debug("Client certificate " + thumbprint + " was not issued by this server");
			throw unauthenticated();
		}
		ClientCertificate known = issued.certificate();
		Instant now = this.clock.instant();
		if (now.isBefore(known.notBefore()) || now.isAfter(known.notAfter())) {
			logger.debug("Client certificate " + known.serial() + " is outside its validity");
			throw unauthenticated();
		}
		return new Identified(new EnrolledComputer(issued.computerId(), issued.computerName(), known.serial(),
				thumbprint), known.blocked());
	}

	/** A known certificate within its validity: its computer, and whether it is blocked. */
	private record Identified(EnrolledComputer computer, boolean blocked) {
	}

	/** Whether the certificate with this thumbprint is blocked now (tokens bound to it die with it). */
	@Transactional(readOnly = true)
	public boolean isBlocked(String thumbprint) {
		return this.certificates.findByThumbprint(thumbprint).map((c) -> c.certificate().blocked()).orElse(true);
	}

	@Transactional(readOnly = true)
	public List<ClientCertificate> forComputer(UUID computerId) {
		return this.certificates.forComputer(computerId);
	}

	/**
	 * Blocks a certificate: every request with it, and every token bound to it, is refused from now on.
	 */
	@Transactional
	public ClientCertificate block(String serial, String reason) {
		if (reason == null || reason.isBlank() || reason.length() > MAX_REASON) {
			throw new ValidationException("reason is required, at most " + MAX_REASON + " characters");
		}
		String normalized = serial.toLowerCase(Locale.ROOT);
		this.certificates.findBySerial(normalized)
			.orElseThrow(() -> new NotFoundException("No certificate with serial " + serial));
		this.certificates.block(normalized, reason, this.clock.instant());
		this.audit.record("certificate.block", normalized, AuditOutcome.SUCCESS, "reason=" + reason);
		return this.certificates.findBySerial(normalized).orElseThrow().certificate();
	}

	private static ClientNotAuthenticatedException unauthenticated() {
		return new ClientNotAuthenticatedException("A client certificate of an enrolled computer is required");
	}

}
