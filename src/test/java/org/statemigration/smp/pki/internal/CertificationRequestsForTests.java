package org.statemigration.smp.pki.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Builds certificate signing requests the way a computer enrolling would, and broken ones.
 */
public final class CertificationRequestsForTests {

	private CertificationRequestsForTests() {
	}

	public static KeyPair rsaKeyPair(int bits) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(bits);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static KeyPair ecKeyPair(String curve) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec(curve));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static PKCS10CertificationRequest csr(KeyPair keyPair, String subject) {
		String algorithm = keyPair.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
		return csr(keyPair, subject, algorithm);
	}

	/** A request signed with the given signature algorithm (a Bouncy Castle name such as SHA1withRSA). */
	public static PKCS10CertificationRequest csr(KeyPair keyPair, String subject, String signatureAlgorithm) {
		try {
			return new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), keyPair.getPublic())
				.build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(new BouncyCastleProvider())
					.build(keyPair.getPrivate()));
		}
		catch (OperatorCreationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static String csrPem(KeyPair keyPair, String subject) {
		return pem(csr(keyPair, subject));
	}

	/** The same request with one bit of its signature flipped. */
	public static String csrPemWithCorruptedSignature(KeyPair keyPair) {
		CertificationRequest request = csr(keyPair, "CN=tampered").toASN1Structure();
		byte[] signature = request.getSignature().getOctets();
		signature[signature.length / 2] ^= 0x01;
		return pem(new PKCS10CertificationRequest(new CertificationRequest(request.getCertificationRequestInfo(),
				request.getSignatureAlgorithm(), new DERBitString(signature))));
	}

	public static String pem(Object object) {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			writer.writeObject(object);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toString();
	}

}
