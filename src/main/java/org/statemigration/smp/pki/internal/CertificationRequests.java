package org.statemigration.smp.pki.internal;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;
import org.statemigration.smp.crypto.SignatureVerification;

/**
 * Parses PKCS#10 requests and decides whether the CA will sign their key. The request arrives from an unauthenticated
 * caller (it comes with a one-time enrollment code only), so every check fails closed.
 */
final class CertificationRequests {

	// a real CSR is a few kilobytes; anything far larger is not worth parsing
	private static final int MAX_PEM_CHARS = 64 * 1024;

	// what the audit log repeats of a claimed name: a computer name (NetBIOS or DNS label, dots for a FQDN)
	private static final Pattern CLAIMED_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]{0,62}");

	private static final int MIN_RSA_BITS = 2048;

	// bounds the work of verifying the request's signature
	private static final int MAX_RSA_BITS = 16384;

	private static final Set<ASN1ObjectIdentifier> ACCEPTED_CURVES = Set.of(X9ObjectIdentifiers.prime256v1,
			SECObjectIdentifiers.secp384r1);

	private static final Set<ASN1ObjectIdentifier> RSA_SIGNATURES = Set.of(PKCSObjectIdentifiers.sha256WithRSAEncryption,
			PKCSObjectIdentifiers.sha384WithRSAEncryption, PKCSObjectIdentifiers.sha512WithRSAEncryption);

	private static final Set<ASN1ObjectIdentifier> ECDSA_SIGNATURES = Set.of(X9ObjectIdentifiers.ecdsa_with_SHA256,
			X9ObjectIdentifiers.ecdsa_with_SHA384, X9ObjectIdentifiers.ecdsa_with_SHA512);

	private static final Set<ASN1ObjectIdentifier> STRONG_HASHES = Set.of(NISTObjectIdentifiers.id_sha256,
			NISTObjectIdentifiers.id_sha384, NISTObjectIdentifiers.id_sha512);

	private CertificationRequests() {
	}

	static PKCS10CertificationRequest parse(String pem) {
		if (pem == null || pem.isBlank()) {
			throw new InvalidCsrException("The certificate signing request is empty");
		}
		if (pem.length() > MAX_PEM_CHARS) {
			throw new InvalidCsrException("The certificate signing request is too large");
		}
		try (PEMParser parser = new PEMParser(new StringReader(pem))) {
			Object parsed = parser.readObject();
			if (parsed instanceof PKCS10CertificationRequest csr) {
				return csr;
			}
		}
		catch (IOException | RuntimeException ex) {
			// Bouncy Castle reports malformed base64 or DER with several unchecked exception types
			throw new InvalidCsrException("The certificate signing request is not a PEM PKCS#10 request", ex);
		}
		throw new InvalidCsrException("The certificate signing request is not a PEM PKCS#10 request");
	}

	/**
	 * Who asked for a certificate, as the audit log names a failed enrollment: the address the request came from and
	 * the computer name its CSR claims (its subject's common name, unverified), e.g. {@code 192.0.2.7 claiming
	 * OLD-PC}. A name that is no computer name (or no CSR at all) is left out rather than written as sent.
	 */
	static String claimant(String pem, String remoteAddress) {
		String address = (remoteAddress != null && !remoteAddress.isBlank()) ? remoteAddress : "an unknown address";
		String name = claimedName(pem);
		return address + ((name != null) ? " claiming " + name : " claiming no computer name");
	}

	private static String claimedName(String pem) {
		try {
			RDN[] names = parse(pem).getSubject().getRDNs(BCStyle.CN);
			if (names.length == 0 || names[0].getFirst() == null) {
				return null;
			}
			String name = IETFUtils.valueToString(names[0].getFirst().getValue());
			return CLAIMED_NAME.matcher(name).matches() ? name : null;
		}
		catch (InvalidCsrException | IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Checks the request's key type and size, its signature algorithm (SHA-256 or stronger), then its signature (proof that the requester holds the private key).
	 * @return the request's public key
	 */
	static PublicKey verifiedPublicKey(PKCS10CertificationRequest csr) {
		SubjectPublicKeyInfo keyInfo = csr.getSubjectPublicKeyInfo();
		String algorithm = acceptedKeyAlgorithm(keyInfo);
		checkSignatureAlgorithm(csr.getSignatureAlgorithm(), algorithm);
		verifySignature(csr);
		try {
			return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(keyInfo.getEncoded()));
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new InvalidCsrException("The public key of the certificate signing request cannot be read", ex);
		}
	}

	private static String acceptedKeyAlgorithm(SubjectPublicKeyInfo keyInfo) {
		ASN1ObjectIdentifier algorithm = keyInfo.getAlgorithm().getAlgorithm();
		if (PKCSObjectIdentifiers.rsaEncryption.equals(algorithm)) {
			checkRsaKey(keyInfo);
			return "RSA";
		}
		if (X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm)) {
			// only named curves: explicit parameters could describe a weak curve
			Object curve = keyInfo.getAlgorithm().getParameters();
			if (!(curve instanceof ASN1ObjectIdentifier) || !ACCEPTED_CURVES.contains(curve)) {
				throw new InvalidCsrException("EC keys must be on curve P-256 or P-384");
			}
			return "EC";
		}
		throw new InvalidCsrException("Unsupported key algorithm " + algorithm.getId()
				+ ": use RSA (2048 bits or more) or EC (P-256 or P-384)");
	}

	private static void checkRsaKey(SubjectPublicKeyInfo keyInfo) {
		BigInteger modulus;
		try {
			modulus = RSAPublicKey.getInstance(keyInfo.parsePublicKey()).getModulus();
		}
		catch (IOException | RuntimeException ex) {
			throw new InvalidCsrException("The RSA public key of the certificate signing request is malformed", ex);
		}
		int bits = modulus.bitLength();
		if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
			throw new InvalidCsrException("RSA keys must have between " + MIN_RSA_BITS + " and " + MAX_RSA_BITS
					+ " bits; this one has " + bits);
		}
	}

	/**
	 * Only SHA-256 or stronger, with the signature scheme of the request's key: a SHA-1 (or MD5) signature is not
	 * proof of anything an attacker could not forge by a collision.
	 */
	static void checkSignatureAlgorithm(AlgorithmIdentifier signature, String keyAlgorithm) {
		ASN1ObjectIdentifier oid = signature.getAlgorithm();
		boolean accepted = switch (keyAlgorithm) {
			case "RSA" -> RSA_SIGNATURES.contains(oid)
					|| (PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid) && strongPss(signature));
			case "EC" -> ECDSA_SIGNATURES.contains(oid);
			default -> false;
		};
		if (!accepted) {
			throw new InvalidCsrException("The certificate signing request is signed with " + oid.getId()
					+ "; sign it with SHA-256 or stronger (" + keyAlgorithm + " key: "
					+ ("EC".equals(keyAlgorithm) ? "ECDSA" : "RSA PKCS#1 v1.5 or PSS") + ")");
		}
	}

	private static boolean strongPss(AlgorithmIdentifier signature) {
		try {
			// absent parameters mean SHA-1, which is refused
			RSASSAPSSparams params = RSASSAPSSparams.getInstance(signature.getParameters());
			if (params == null || !STRONG_HASHES.contains(params.getHashAlgorithm().getAlgorithm())) {
				return false;
			}
			AlgorithmIdentifier mgf = params.getMaskGenAlgorithm();
			return PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())
					&& STRONG_HASHES.contains(AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static void verifySignature(PKCS10CertificationRequest csr) {
		boolean valid;
		try {
			ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder()
				.setProvider(SignatureVerification.provider())
				.build(csr.getSubjectPublicKeyInfo());
			valid = csr.isSignatureValid(verifier);
		}
		catch (OperatorCreationException | PKCSException | RuntimeException ex) {
			throw new InvalidCsrException("The signature of the certificate signing request cannot be verified", ex);
		}
		if (!valid) {
			throw new InvalidCsrException("The signature of the certificate signing request is not valid");
		}
	}

}
