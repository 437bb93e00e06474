package org.statemigration.smp.pki.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.asn1.x500.X500Name;

import org.statemigration.smp.crypto.CryptoException;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

/**
 * Creates the client CA on first use and loads it afterwards: {@code ca.crt} (PEM) and {@code ca.key.wrapped} (the
 * PKCS#8 key wrapped by the key-encryption keys), both owner-only. Key rotation re-wraps the key file in place.
 */
public final class CertificateAuthorityFiles {

	private static final String CERTIFICATE_FILE = "ca.crt";

	private static final String WRAPPED_KEY_FILE = "ca.key.wrapped";

	// associated data of the wrapped key: a secret wrapped for another purpose cannot be passed off as this one
	private static final String WRAPPING_CONTEXT = "ca-private-key";

	private static final Duration CA_VALIDITY = Duration.ofDays(3653);

	private CertificateAuthorityFiles() {
	}

	/**
	 * Loads the CA from {@code keysDir}, or creates it there on first use. When several processes start at once on
	 * the same directory, one creates the CA and the others load it.
	 * @throws UncheckedIOException if the files cannot be read or written
	 * @throws CryptoException if the key cannot be unwrapped or does not match the certificate
	 */
	public static CertificateAuthority loadOrCreate(Path keysDir, KeyEncryptionKeys keks) {
		Path certificateFile = keysDir.resolve(CERTIFICATE_FILE);
		try {
			// ca.crt is written last, so its presence means the CA is complete
			if (Files.exists(certificateFile)) {
				return load(keysDir, keks);
			}
			// the process that loses the race waits here and then loads what the winner wrote
			return OwnerOnlyFiles.underLock(keysDir,
					() -> Files.exists(certificateFile) ? load(keysDir, keks) : create(keysDir, keks));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the client CA in " + keysDir, ex);
		}
	}

	/**
	 * Re-wraps {@code ca.key.wrapped} in the given keys directory, replacing the file atomically.
	 * @return the key version that wrapped it before
	 */
	public static int rewrapKey(Path keysDir, KeyEncryptionKeys keks) {
		Path file = keysDir.resolve(WRAPPED_KEY_FILE);
		try {
			byte[] wrapped = Files.readAllBytes(file);
			int before = KeyEncryptionKeys.versionOf(wrapped);
			OwnerOnlyFiles.writeAtomically(file, keks.rewrap(wrapped, WRAPPING_CONTEXT));
			return before;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot re-wrap the client CA key " + file, ex);
		}
	}

	/** The key version that wraps {@code ca.key.wrapped} in the given keys directory. */
	public static int keyVersion(Path keysDir) {
		try {
			return KeyEncryptionKeys.versionOf(Files.readAllBytes(keysDir.resolve(WRAPPED_KEY_FILE)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the client CA key in " + keysDir, ex);
		}
	}

	private static CertificateAuthority create(Path keysDir, KeyEncryptionKeys keks) throws IOException {
		if (Files.exists(keysDir.resolve(WRAPPED_KEY_FILE))) {
			// most likely a restore that missed ca.crt: a new CA would silently lock out every enrolled computer
			throw new IllegalStateException(keysDir.resolve(WRAPPED_KEY_FILE) + " exists without " + CERTIFICATE_FILE
					+ ": restore " + CERTIFICATE_FILE + " from the same backup, or delete " + WRAPPED_KEY_FILE
					+ " to create a new client CA (every enrolled computer must then enroll again)");
		}
		SecureRandom random = new SecureRandom();
		KeyPair keyPair = generateKeyPair(random);
		byte[] suffix = new byte[4];
		random.nextBytes(suffix);
		X500Name subject = CertificateAuthority.commonName("smp client CA " + HexFormat.of().formatHex(suffix));
		Instant now = Instant.now();
		X509Certificate certificate = CertificateBuilder
			.selfSigned(subject, keyPair.getPublic(), now.minus(CertificateAuthority.BACKDATING),
					now.plus(CA_VALIDITY), random)
			.certificateAuthority()
			.sign(keyPair.getPrivate(), keyPair.getPublic());
		byte[] pkcs8 = keyPair.getPrivate().getEncoded();
		try {
			OwnerOnlyFiles.writeAtomically(keysDir.resolve(WRAPPED_KEY_FILE), keks.wrap(pkcs8, WRAPPING_CONTEXT));
		}
		finally {
			Arrays.fill(pkcs8, (byte) 0);
		}
		OwnerOnlyFiles.writeAtomically(keysDir.resolve(CERTIFICATE_FILE),
				CertificateAuthority.toPem(certificate).getBytes(StandardCharsets.US_ASCII));
		return new CertificateAuthority(certificate, keyPair.getPrivate(), random);
	}

	private static CertificateAuthority load(Path keysDir, KeyEncryptionKeys keks) throws IOException {
		X509Certificate certificate = readCertificate(Files.readAllBytes(keysDir.resolve(CERTIFICATE_FILE)));
		byte[] pkcs8 = keks.unwrap(Files.readAllBytes(keysDir.resolve(WRAPPED_KEY_FILE)), WRAPPING_CONTEXT);
		try {
			PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
			checkKeyMatches(privateKey, certificate.getPublicKey());
			return new CertificateAuthority(certificate, privateKey, new SecureRandom());
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot read the client CA key in " + keysDir, ex);
		}
		finally {
			Arrays.fill(pkcs8, (byte) 0);
		}
	}

	// catches ca.crt and ca.key.wrapped restored from different backups before anything is signed with them
	private static void checkKeyMatches(PrivateKey privateKey, PublicKey publicKey) throws GeneralSecurityException {
		byte[] challenge = new byte[32];
		new SecureRandom().nextBytes(challenge);
		String algorithm = CertificateBuilder.signatureAlgorithm(publicKey);
		Signature signer = Signature.getInstance(algorithm);
		signer.initSign(privateKey);
		signer.update(challenge);
		Signature verifier = Signature.getInstance(algorithm);
		verifier.initVerify(publicKey);
		verifier.update(challenge);
		if (!verifier.verify(signer.sign())) {
			throw new CryptoException("The client CA key does not belong to the client CA certificate");
		}
	}

	private static X509Certificate readCertificate(byte[] pem) {
		try {
			return (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(pem));
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot read the client CA certificate", ex);
		}
	}

	private static KeyPair generateKeyPair(SecureRandom random) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp384r1"), random);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot generate the client CA key", ex);
		}
	}

}
