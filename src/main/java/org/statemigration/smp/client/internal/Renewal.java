package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import tools.jackson.databind.JsonNode;

import org.statemigration.smp.client.ExitCodes;

/**
 * Renews the computer's certificate with the current one ({@code POST /api/v1/enrollment/renewal}, mutual TLS):
 * a new key pair, a certificate signing request for it, and the new key and certificate kept in place of the old
 * ones only once both are safely written. An expired certificate cannot renew: the computer enrolls again.
 */
final class Renewal {

	/** The longest default threshold: renew at most this long before the certificate expires. */
	static final Duration DEFAULT_MAX_THRESHOLD = Duration.ofDays(7);

	private Renewal() {
	}

	/** Renews now, and returns the identity with the new key and certificate. */
	static Identity renew(Identity current, Attempts attempts, Output output) {
		refuseExpired(current);
		KeyPair keyPair = KeyMaterial.newKeyPair();
		String csr = KeyMaterial.csr(keyPair, current.computer());
		ServerConnection connection = ServerConnection.of(current);
		JsonNode answer = attempts.run("Renewing the certificate",
				() -> connection.post("api/v1/enrollment/renewal", Map.of("csr", csr), null));
		Identity renewed;
		try {
			renewed = new Identity(current.folder(), current.server(), current.pinnedFingerprint(),
					answer.path("computer").asString(current.computer()), keyPair.getPrivate(),
					KeyMaterial.certificate(answer.path("certificate").asString()),
					KeyMaterial.certificate(answer.path("caCertificate").asString()));
		}
		catch (CertificateException ex) {
			throw ClientFailure.failed("The server's answer holds no certificate: " + ex.getMessage(), ex);
		}
		try {
			renewed.saveRenewed();
		}
		catch (IOException ex) {
			throw ClientFailure.failed("Cannot write the renewed certificate to " + current.folder() + " (the "
					+ "previous one is kept): " + ex.getMessage(), ex);
		}
		output.info("Renewed the certificate of " + renewed.computer() + ": valid until "
				+ renewed.certificate().getNotAfter().toInstant());
		return renewed;
	}

	/**
	 * Renews if the certificate expires within the threshold ({@code null}: a third of its lifetime or
	 * {@link #DEFAULT_MAX_THRESHOLD}, whichever is smaller). A renewal that fails on the network is reported and
	 * the current certificate, still valid, is used.
	 */
	static Identity renewIfDue(Identity current, Duration threshold, Attempts attempts, Output output) {
		refuseExpired(current);
		Instant notAfter = current.certificate().getNotAfter().toInstant();
		Duration before = (threshold != null) ? threshold : defaultThreshold(current);
		if (Instant.now().plus(before).isBefore(notAfter)) {
			return current;
		}
		output.info("The certificate expires at " + notAfter + ", within " + before + ": renewing it");
		try {
			return renew(current, attempts, output);
		}
		catch (ClientFailure failure) {
			if (failure.exitCode() != ExitCodes.NETWORK) {
				throw failure;
			}
			output.info("Could not renew the certificate (" + failure.getMessage() + "); going on with the "
					+ "current one");
			return current;
		}
	}

	static Duration defaultThreshold(Identity identity) {
		Duration lifetime = Duration.between(identity.certificate().getNotBefore().toInstant(),
				identity.certificate().getNotAfter().toInstant());
		Duration third = lifetime.dividedBy(3);
		return (third.compareTo(DEFAULT_MAX_THRESHOLD) < 0) ? third : DEFAULT_MAX_THRESHOLD;
	}

	private static void refuseExpired(Identity identity) {
		Instant notAfter = identity.certificate().getNotAfter().toInstant();
		if (!Instant.now().isBefore(notAfter)) {
			throw ClientFailure.refused("This computer's certificate expired at " + notAfter + " and cannot be "
					+ "renewed: enroll again with a new code (smp enroll --force --code CODE)");
		}
	}

}
