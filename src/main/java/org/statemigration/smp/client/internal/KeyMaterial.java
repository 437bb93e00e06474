package org.statemigration.smp.client.internal;

import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The computer's key pair (EC P-256, made here and never sent), its certificate signing request, and the PEM
 * forms of keys and certificates kept in the identity folder.
 */
final class KeyMaterial {

	private KeyMaterial() {
	}

	static KeyPair newKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("EC P-256 is not available", ex);
		}
	}

	/** A PEM PKCS#10 request for the key pair, signed with it. The server sets the subject; ours is a hint. */
	static String csr(KeyPair keyPair, String computerName) {
		X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, computerName).build();
		try {
			var request = new JcaPKCS10CertificationRequestBuilder(subject, keyPair.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
			StringWriter out = new StringWriter();
			try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
				writer.writeObject(request);
			}
			return out.toString();
		}
		catch (OperatorCreationException | java.io.IOException ex) {
			throw new IllegalStateException("Cannot build the certificate signing request", ex);
		}
	}

	static String privateKeyPem(PrivateKey key) {
		return pem("PRIVATE KEY", key.getEncoded());
	}

	static PrivateKey privateKey(String pem) throws GeneralSecurityException {
		byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
		return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
	}

	static String certificatePem(X509Certificate certificate) {
		try {
			return pem("CERTIFICATE", certificate.getEncoded());
		}
		catch (java.security.cert.CertificateEncodingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static X509Certificate certificate(String pem) throws CertificateException {
		return (X509Certificate) CertificateFactory.getInstance("X.509")
			.generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
	}

	/** Lowercase hex SHA-256 of the certificate's DER encoding. */
	static String fingerprint(X509Certificate certificate) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String pem(String type, byte[] der) {
		return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der)
				+ "\n-----END " + type + "-----\n";
	}

}
