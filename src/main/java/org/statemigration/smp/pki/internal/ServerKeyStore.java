package org.statemigration.smp.pki.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.statemigration.smp.crypto.CryptoException;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

/**
 * The generated TLS key store ({@code server.p12} and its password in {@code server.p12.password}) and the client-CA
 * trust store ({@code client-ca.p12}) in the data directory's {@code tls} folder.
 */
final class ServerKeyStore {

	static final String KEY_ALIAS = "smp-server";

	static final String KEY_STORE_FILE = "server.p12";

	static final String PASSWORD_FILE = "server.p12.password";

	static final String TRUST_STORE_FILE = "client-ca.p12";

	// the trust store holds one public certificate; PKCS#12 wants a password only to compute its MAC, and whoever
	// could rewrite the file could rewrite the configuration too, so a secret one would protect nothing
	static final String TRUST_STORE_PASSWORD = "smp-client-ca";

	private static final Log logger = LogFactory.getLog(ServerKeyStore.class);

	private final Path directory;

	private final SecureRandom random = new SecureRandom();

	ServerKeyStore(Path directory) {
		this.directory = directory;
	}

	Path keyStoreFile() {
		return this.directory.resolve(KEY_STORE_FILE);
	}

	Path trustStoreFile() {
		return this.directory.resolve(TRUST_STORE_FILE);
	}

	/**
	 * The password of the generated key store, from {@code server.p12.password}, created if it is missing: the SSL
	 * bundle is configured with it before the context, and so before the key store, which needs the client CA of
	 * the database, is loaded or generated ({@link #loadOrCreate}).
	 */
	String loadOrCreatePassword() {
		Path passwordFile = this.directory.resolve(PASSWORD_FILE);
		try {
			String existing = readPassword(passwordFile);
			if (existing != null) {
				return existing;
			}
			return OwnerOnlyFiles.underLock(this.directory, () -> {
				String written = readPassword(passwordFile);
				if (written != null) {
					return written;
				}
				byte[] secret = new byte[24];
				this.random.nextBytes(secret);
				String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
				OwnerOnlyFiles.writeAtomically(passwordFile, password.getBytes(StandardCharsets.US_ASCII));
				return password;
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write " + passwordFile, ex);
		}
	}

	private static String readPassword(Path passwordFile) throws IOException {
		if (!Files.exists(passwordFile)) {
			return null;
		}
		String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip();
		return password.isEmpty() ? null : password;
	}

	/**
	 * Loads the generated key store, or generates it if it is missing, unreadable, expired, not issued by the CA, or
	 * lacks one of the required names. A new one is encrypted with the password of {@link #loadOrCreatePassword()}.
	 */
	Generated loadOrCreate(CertificateAuthority ca, ServerNames names, ServerNames requiredNames, Duration validity) {
		try {
			Generated existing = load(ca, requiredNames, false);
			if (existing != null) {
				return existing;
			}
			return OwnerOnlyFiles.underLock(this.directory, () -> {
				Generated loaded = load(ca, requiredNames, true);
				return (loaded != null) ? loaded : create(ca, names, validity);
			});
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the TLS key store in " + this.directory, ex);
		}
	}

	private Generated load(CertificateAuthority ca, ServerNames requiredNames, boolean explain) {
		Path passwordFile = this.directory.resolve(PASSWORD_FILE);
		if (!Files.exists(keyStoreFile()) || !Files.exists(passwordFile)) {
			return null;
		}
		try {
			String password = Files.readString(passwordFile, StandardCharsets.US_ASCII).strip();
			KeyStore keyStore = KeyStore.getInstance("PKCS12");
			keyStore.load(new ByteArrayInputStream(Files.readAllBytes(keyStoreFile())), password.toCharArray());
			X509Certificate certificate = (X509Certificate) keyStore.getCertificate(KEY_ALIAS);
			String problem = problem(certificate, ca, requiredNames);
			if (problem == null) {
				return new Generated(certificate, password);
			}
			if (explain) {
				logger.warn("Generating a new TLS server certificate (its fingerprint changes): the one in "
						+ keyStoreFile() + " " + problem);
			}
		}
		catch (IOException | GeneralSecurityException | RuntimeException ex) {
			if (explain) {
				logger.warn("Generating a new TLS server certificate: " + keyStoreFile() + " cannot be read ("
						+ ex.getClass().getSimpleName() + ")");
			}
		}
		return null;
	}

	private static String problem(X509Certificate certificate, CertificateAuthority ca, ServerNames requiredNames)
			throws CertificateParsingException {
		if (certificate == null) {
			return "holds no key entry " + KEY_ALIAS;
		}
		try {
			certificate.checkValidity();
		}
		catch (GeneralSecurityException ex) {
			return "has expired or is not yet valid";
		}
		try {
			certificate.verify(ca.certificate().getPublicKey());
		}
		catch (GeneralSecurityException ex) {
			return "was not issued by the current client CA";
		}
		String missing = requiredNames.firstMissingFrom(certificate);
		if (missing != null) {
			return "does not name " + missing;
		}
		return null;
	}

	private Generated create(CertificateAuthority ca, ServerNames names, Duration validity) throws IOException {
		KeyPair keyPair = generateKeyPair();
		X509Certificate certificate = ca.issueServerCertificate(keyPair.getPublic(), names.dnsNames(),
				names.ipAddresses(), validity);
		String password = readPassword(this.directory.resolve(PASSWORD_FILE));
		if (password == null) {
			throw new IllegalStateException(this.directory.resolve(PASSWORD_FILE) + " is missing");
		}
		try {
			KeyStore keyStore = emptyStore();
			keyStore.setKeyEntry(KEY_ALIAS, keyPair.getPrivate(), password.toCharArray(),
					new Certificate[] { certificate, ca.certificate() });
			OwnerOnlyFiles.writeAtomically(keyStoreFile(), encode(keyStore, password));
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot build the TLS key store", ex);
		}
		logger.info("Generated a TLS server certificate for " + String.join(", ", names.all()) + " in "
				+ keyStoreFile());
		return new Generated(certificate, password);
	}

	/** Rewrites the trust store so that it holds the CA certificate and nothing else. */
	void writeTrustStore(X509Certificate caCertificate) {
		try {
			KeyStore trustStore = emptyStore();
			trustStore.setCertificateEntry("smp-client-ca", caCertificate);
			OwnerOnlyFiles.writeAtomically(trustStoreFile(), encode(trustStore, TRUST_STORE_PASSWORD));
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot build the client CA trust store", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot write " + trustStoreFile(), ex);
		}
	}

	private static KeyStore emptyStore() throws GeneralSecurityException, IOException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		store.load(null, null);
		return store;
	}

	private static byte[] encode(KeyStore store, String password) throws GeneralSecurityException, IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		store.store(out, password.toCharArray());
		return out.toByteArray();
	}

	private KeyPair generateKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"), this.random);
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot generate the TLS server key", ex);
		}
	}

	/** A usable generated key store: its certificate and the password of {@code server.p12}. */
	record Generated(X509Certificate certificate, String password) {

		@Override
		public String toString() {
			return "Generated[" + certificate.getSubjectX500Principal() + "]";
		}

	}

}
