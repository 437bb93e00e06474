package org.statemigration.smp.pki.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.statemigration.smp.crypto.CryptoException;

/**
 * Builds and signs X.509 v3 certificates with the JDK's signature providers; Bouncy Castle only assembles the
 * structures.
 */
final class CertificateBuilder {

	private final X509v3CertificateBuilder builder;

	private final JcaX509ExtensionUtils extensions;

	private CertificateBuilder(X500Name issuer, X500Name subject, PublicKey key, Instant notBefore,
			Instant notAfter, SecureRandom random) {
		this.builder = new JcaX509v3CertificateBuilder(issuer, serial(random), Date.from(notBefore),
				Date.from(notAfter), subject, key);
		try {
			this.extensions = new JcaX509ExtensionUtils();
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("SHA-1 (for key identifiers) is not available", ex);
		}
		add(Extension.subjectKeyIdentifier, false, this.extensions.createSubjectKeyIdentifier(key));
	}

	static CertificateBuilder selfSigned(X500Name subject, PublicKey key, Instant notBefore, Instant notAfter,
			SecureRandom random) {
		return new CertificateBuilder(subject, subject, key, notBefore, notAfter, random);
	}

	static CertificateBuilder issuedBy(X509Certificate issuer, X500Name subject, PublicKey key, Instant notBefore,
			Instant notAfter, SecureRandom random) {
		X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
		CertificateBuilder builder = new CertificateBuilder(issuerName, subject, key, notBefore, notAfter, random);
		return builder.add(Extension.authorityKeyIdentifier, false,
				new AuthorityKeyIdentifier(subjectKeyIdentifier(issuer)));
	}

	private static byte[] subjectKeyIdentifier(X509Certificate certificate) {
		try {
			return SubjectKeyIdentifier
				.getInstance(JcaX509ExtensionUtils
					.parseExtensionValue(certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId())))
				.getKeyIdentifier();
		}
		catch (IOException | RuntimeException ex) {
			throw new CryptoException("The issuer certificate has no readable subject key identifier", ex);
		}
	}

	CertificateBuilder certificateAuthority() {
		// pathLen 0: this CA signs end-entity certificates only, never another CA
		add(Extension.basicConstraints, true, new BasicConstraints(0));
		return add(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
	}

	CertificateBuilder endEntity(PublicKey key, KeyPurposeId purpose) {
		add(Extension.basicConstraints, true, new BasicConstraints(false));
		// RSA key exchange (TLS 1.2 without forward secrecy) needs keyEncipherment; EC keys never encipher
		int usage = (key instanceof RSAPublicKey) ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
				: KeyUsage.digitalSignature;
		add(Extension.keyUsage, true, new KeyUsage(usage));
		return add(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
	}

	CertificateBuilder subjectAlternativeNames(GeneralNames names) {
		return add(Extension.subjectAlternativeName, false, names);
	}

	X509Certificate sign(PrivateKey issuerKey, PublicKey issuerPublicKey) {
		try {
			return new JcaX509CertificateConverter()
				.getCertificate(this.builder.build(new JcaContentSignerBuilder(signatureAlgorithm(issuerPublicKey))
					.build(issuerKey)));
		}
		catch (OperatorCreationException | GeneralSecurityException ex) {
			throw new CryptoException("Cannot sign certificate", ex);
		}
	}

	/** SHA-384 for a P-384 issuer key, SHA-256 otherwise, so the hash matches the curve's strength. */
	static String signatureAlgorithm(PublicKey issuerKey) {
		if (issuerKey instanceof ECPublicKey ec) {
			return (ec.getParams().getCurve().getField().getFieldSize() > 256) ? "SHA384withECDSA" : "SHA256withECDSA";
		}
		return "SHA256withRSA";
	}

	private CertificateBuilder add(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
		try {
			this.builder.addExtension(oid, critical, value);
			return this;
		}
		catch (CertIOException ex) {
			throw new CryptoException("Cannot encode certificate extension " + oid.getId(), ex);
		}
	}

	// 16 random bytes, top bit clear (positive) and next bit set (the DER encoding is always 16 bytes long)
	private static BigInteger serial(SecureRandom random) {
		byte[] bytes = new byte[16];
		random.nextBytes(bytes);
		bytes[0] = (byte) ((bytes[0] & 0x7f) | 0x40);
		return new BigInteger(1, bytes);
	}

}
