package org.statemigration.smp.pki.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import org.statemigration.smp.crypto.CryptoException;

/**
 * The server's own client CA: it signs the certificate each computer receives at enrollment (the computer keeps its
 * private key) and, unless the operator brings one, the server's TLS certificate.
 * <p>
 * The CA key is an EC P-384 key generated on first use. Its certificate (PEM) and its PKCS#8 private key, wrapped
 * by the key-encryption keys, are kept in the database ({@link CertificateAuthorityStore}), shared by every server
 * of a cluster. Back up the database together with the master key file: without both no enrolled computer can
 * authenticate.
 */
public final class CertificateAuthority {

	// tolerates clients whose clock runs a little behind the server's
	static final Duration BACKDATING = Duration.ofMinutes(5);

	private static final Pattern COMPUTER_NAME = Pattern.compile("[A-Za-z0-9-]{1,63}");

	private final X509Certificate certificate;

	private final PrivateKey privateKey;

	private final SecureRandom random;

	CertificateAuthority(X509Certificate certificate, PrivateKey privateKey, SecureRandom random) {
		this.certificate = certificate;
		this.privateKey = privateKey;
		this.random = random;
	}

	/** The CA's self-signed certificate: the trust anchor of every client certificate. */
	public X509Certificate certificate() {
		return this.certificate;
	}

	/** The CA's certificate in PEM, as handed to enrolled computers. */
	public String certificatePem() {
		return toPem(this.certificate);
	}

	/**
	 * Parses a PEM PKCS#10 certificate signing request without checking it.
	 * @throws InvalidCsrException if the text is not such a request
	 */
	public static PKCS10CertificationRequest parseCsr(String pem) {
		return CertificationRequests.parse(pem);
	}

	/**
	 * Issues a client certificate for a computer from its certificate signing request. Only the request's public key
	 * is used: its subject and requested extensions are ignored, the subject becomes {@code CN=<computerName>}.
	 * @param csrPem PEM PKCS#10 request, signed with the key it carries (RSA of 2048 bits or more, EC P-256 or P-384)
	 * @param computerName the computer's name (1-63 letters, digits or hyphens)
	 * @param validity how long the certificate is valid (never beyond the CA's own expiry)
	 * @throws InvalidCsrException if the request is malformed, its signature is wrong, or its key is refused
	 */
	public X509Certificate issueClientCertificate(String csrPem, String computerName, Duration validity) {
		if (computerName == null || !COMPUTER_NAME.matcher(computerName).matches()) {
			throw new IllegalArgumentException("A computer name has 1 to 63 letters, digits or hyphens");
		}
		PublicKey key = CertificationRequests.verifiedPublicKey(parseCsr(csrPem));
		return issue(commonName(computerName), key, validity).endEntity(key, KeyPurposeId.id_kp_clientAuth)
			.sign(this.privateKey, this.certificate.getPublicKey());
	}

	/**
	 * Issues a TLS server certificate for the given names. Its subject is the first DNS name (or IP address).
	 * @param key the server's public key
	 * @param dnsNames DNS names for the subject alternative names
	 * @param ipAddresses IPv4 or IPv6 literals for the subject alternative names
	 * @param validity how long the certificate is valid (never beyond the CA's own expiry)
	 */
	public X509Certificate issueServerCertificate(PublicKey key, List<String> dnsNames, List<String> ipAddresses,
			Duration validity) {
		List<GeneralName> names = new ArrayList<>();
		dnsNames.forEach((name) -> names.add(new GeneralName(GeneralName.dNSName, name)));
		ipAddresses.forEach((address) -> names.add(new GeneralName(GeneralName.iPAddress, address)));
		if (names.isEmpty()) {
			throw new IllegalArgumentException("A server certificate needs at least one DNS name or IP address");
		}
		String subject = dnsNames.isEmpty() ? ipAddresses.get(0) : dnsNames.get(0);
		return issue(commonName(subject), key, validity).endEntity(key, KeyPurposeId.id_kp_serverAuth)
			.subjectAlternativeNames(new GeneralNames(names.toArray(GeneralName[]::new)))
			.sign(this.privateKey, this.certificate.getPublicKey());
	}

	private CertificateBuilder issue(X500Name subject, PublicKey key, Duration validity) {
		if (validity.isNegative() || validity.isZero()) {
			throw new IllegalArgumentException("Validity must be positive");
		}
		Instant now = Instant.now();
		Instant notAfter = now.plus(validity);
		Instant caNotAfter = this.certificate.getNotAfter().toInstant();
		return CertificateBuilder.issuedBy(this.certificate, subject, key, now.minus(BACKDATING),
				notAfter.isAfter(caNotAfter) ? caNotAfter : notAfter, this.random);
	}

	/** PEM encoding ({@code -----BEGIN CERTIFICATE-----}) of a certificate. */
	public static String toPem(X509Certificate certificate) {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(certificate);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

	/** Lowercase hex of the SHA-256 digest of the certificate's DER encoding. */
	public static String thumbprintSha256Hex(X509Certificate certificate) {
		return HexFormat.of().formatHex(sha256(certificate));
	}

	/** Base64url without padding of the SHA-256 of the DER encoding: the JWT {@code cnf} claim {@code x5t#S256}. */
	public static String thumbprintSha256Base64Url(X509Certificate certificate) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(certificate));
	}

	/** The certificate's serial number in lowercase hex, without leading zeros. */
	public static String serialHex(X509Certificate certificate) {
		return certificate.getSerialNumber().toString(16);
	}

	private static byte[] sha256(X509Certificate certificate) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot digest certificate", ex);
		}
	}

	static X500Name commonName(String value) {
		return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, value).build();
	}

	@Override
	public String toString() {
		return "CertificateAuthority[" + this.certificate.getSubjectX500Principal().getName() + "]";
	}

}
