package org.statemigration.smp.pki.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import java.util.Optional;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.bouncycastle.asn1.x500.X500Name;

import org.statemigration.smp.crypto.CryptoException;
import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

/**
 * The client CA's two forms outside the database: generated in memory, and the files {@code ca.crt} (PEM) and
 * {@code ca.key.wrapped} (the PKCS#8 key wrapped by the key-encryption keys) of the data directory's {@code keys}
 * folder, where servers before ADR 0009 kept it. The database holds the CA now ({@link CertificateAuthorityStore});
 * the files are read once, to import an existing installation's CA, and {@code ca.crt} is written at every start as
 * a copy of the database's certificate, for operators and for a TLS bundle that trusts it.
 */
public final class CertificateAuthorityFiles {

	static final String CERTIFICATE_FILE = "ca.crt";

	static final String WRAPPED_KEY_FILE = "ca.key.wrapped";

	/** What a key file that belongs to another CA than the database's is renamed to. */
	static final String SUPERSEDED_KEY_FILE = "ca.key.wrapped.superseded";

	// associated data of the wrapped key: a secret wrapped for another purpose cannot be passed off as this one
	static final String WRAPPING_CONTEXT = "ca-private-key";

	private static final Duration CA_VALIDITY = Duration.ofDays(3653);

	private static final Log logger = LogFactory.getLog(CertificateAuthorityFiles.class);

	private CertificateAuthorityFiles() {
	}

	/**
	 * The CA kept in {@code keysDir} by an earlier version, checked (the key unwraps and belongs to the
	 * certificate), if there is one.
	 * @throws IllegalStateException if the key file is there without its certificate
	 * @throws CryptoException if the key cannot be unwrapped or does not match the certificate
	 */
	public static Optional<StoredCertificateAuthority> read(Path keysDir, KeyEncryptionKeys keks) {
		Path certificateFile = keysDir.resolve(CERTIFICATE_FILE);
		Path keyFile = keysDir.resolve(WRAPPED_KEY_FILE);
		if (!Files.exists(keyFile)) {
			return Optional.empty();
		}
		if (!Files.exists(certificateFile)) {
			// most likely a restore that missed ca.crt: a new CA would silently lock out every enrolled computer
			throw new IllegalStateException(keyFile + " exists without " + CERTIFICATE_FILE + ": restore "
					+ CERTIFICATE_FILE + " from the same backup, or delete " + WRAPPED_KEY_FILE
					+ " to create a new client CA (every enrolled computer must then enroll again)");
		}
		try {
			StoredCertificateAuthority stored = new StoredCertificateAuthority(
					Files.readString(certificateFile, StandardCharsets.US_ASCII), Files.readAllBytes(keyFile));
			open(stored, keks);
			return Optional.of(stored);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the client CA in " + keysDir, ex);
		}
	}

	/** A new CA: an EC P-384 key and a self-signed certificate valid for ten years, its key wrapped. */
	public static StoredCertificateAuthority generate(KeyEncryptionKeys keks) {
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
			return new StoredCertificateAuthority(CertificateAuthority.toPem(certificate),
					keks.wrap(pkcs8, WRAPPING_CONTEXT));
		}
		finally {
			Arrays.fill(pkcs8, (byte) 0);
		}
	}

	/**
	 * The usable CA: its key unwrapped and checked against the certificate.
	 * @throws CryptoException if the key cannot be unwrapped or does not match the certificate
	 */
	public static CertificateAuthority open(StoredCertificateAuthority stored, KeyEncryptionKeys keks) {
		X509Certificate certificate = readCertificate(stored.certificatePem().getBytes(StandardCharsets.US_ASCII));
		byte[] pkcs8 = keks.unwrap(stored.wrappedKey(), WRAPPING_CONTEXT);
		try {
			PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
			checkKeyMatches(privateKey, certificate.getPublicKey());
			return new CertificateAuthority(certificate, privateKey, new SecureRandom());
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot read the client CA key", ex);
		}
		finally {
			Arrays.fill(pkcs8, (byte) 0);
		}
	}

	/**
	 * Writes {@code ca.crt} as a copy of the CA's certificate, unless it holds it already. A key file left there
	 * that belongs to another certificate (a server that had a CA of its own before it joined the cluster's
	 * database) is renamed {@value #SUPERSEDED_KEY_FILE}, so that {@code ca.crt} and {@code ca.key.wrapped} are never
	 * a mismatched pair.
	 */
	public static void export(Path keysDir, X509Certificate certificate) {
		Path certificateFile = keysDir.resolve(CERTIFICATE_FILE);
		String pem = CertificateAuthority.toPem(certificate);
		try {
			if (Files.exists(certificateFile)
					&& Files.readString(certificateFile, StandardCharsets.US_ASCII).equals(pem)) {
				return;
			}
			Path keyFile = keysDir.resolve(WRAPPED_KEY_FILE);
			if (Files.exists(keyFile)) {
				Files.move(keyFile, keysDir.resolve(SUPERSEDED_KEY_FILE), StandardCopyOption.REPLACE_EXISTING);
				logger.warn("The client CA in " + keysDir + " is not the one in the database, which every server "
						+ "uses: its key file is renamed " + SUPERSEDED_KEY_FILE);
			}
			OwnerOnlyFiles.writeAtomically(certificateFile, pem.getBytes(StandardCharsets.US_ASCII));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + certificateFile, ex);
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
