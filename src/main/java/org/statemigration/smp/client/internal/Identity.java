package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Properties;

/**
 * What a computer keeps after enrolling, in its identity folder (default {@code ~/.smp}, owner only): its private
 * key, its certificate, smp's client CA, and the server's URL with the pinned fingerprint of its certificate.
 * @param pinnedFingerprint lowercase hex SHA-256 of the server's certificate, or null to trust the system's store
 */
record Identity(Path folder, URI server, String pinnedFingerprint, String computer, PrivateKey key,
		X509Certificate certificate, X509Certificate ca) {

	static final String KEY = "client.key";

	static final String CERTIFICATE = "client.crt";

	static final String CA = "ca.crt";

	static final String SERVER = "server.properties";

	/** The suffix of a renewed key and certificate, written before they replace the current ones. */
	static final String RENEWED = ".renewed";

	static Path defaultFolder() {
		return Path.of(System.getProperty("user.home"), ".smp");
	}

	static boolean exists(Path folder) {
		return Files.exists(folder.resolve(CERTIFICATE)) || Files.exists(folder.resolve(KEY));
	}

	/**
	 * Reads the identity.
	 * @throws ClientFailure (usage) if the folder holds none: the computer has not enrolled
	 */
	static Identity load(Path folder) {
		if (!Files.exists(folder.resolve(CERTIFICATE)) || !Files.exists(folder.resolve(KEY))
				|| !Files.exists(folder.resolve(SERVER))) {
			throw ClientFailure.usage("No identity in " + folder + ": enroll this computer first (smp enroll "
					+ "--server URL --code CODE), or name its identity folder with --identity");
		}
		try {
			finishRenewal(folder);
			Properties server = new Properties();
			server.load(new StringReader(Files.readString(folder.resolve(SERVER))));
			String fingerprint = server.getProperty("fingerprint");
			X509Certificate ca = Files.exists(folder.resolve(CA))
					? KeyMaterial.certificate(Files.readString(folder.resolve(CA))) : null;
			return new Identity(folder, URI.create(server.getProperty("server")),
					(fingerprint == null || fingerprint.isBlank()) ? null : fingerprint, server.getProperty("computer"),
					KeyMaterial.privateKey(Files.readString(folder.resolve(KEY))),
					KeyMaterial.certificate(Files.readString(folder.resolve(CERTIFICATE))), ca);
		}
		catch (IOException | GeneralSecurityException | IllegalArgumentException ex) {
			throw ClientFailure.failed("Cannot read the identity in " + folder + ": " + ex.getMessage(), ex);
		}
	}

	/** Writes every file of the identity, each owner-only from its creation; the key first. */
	void save() throws IOException {
		PrivateFiles.folder(this.folder);
		PrivateFiles.write(this.folder.resolve(KEY), KeyMaterial.privateKeyPem(this.key));
		PrivateFiles.write(this.folder.resolve(CERTIFICATE), KeyMaterial.certificatePem(this.certificate));
		if (this.ca != null) {
			PrivateFiles.write(this.folder.resolve(CA), KeyMaterial.certificatePem(this.ca));
		}
		Properties server = new Properties();
		server.setProperty("server", this.server.toString());
		server.setProperty("computer", this.computer);
		if (this.pinnedFingerprint != null) {
			server.setProperty("fingerprint", this.pinnedFingerprint);
		}
		StringWriter text = new StringWriter();
		server.store(text, "smp client: the server this computer enrolled with");
		PrivateFiles.write(this.folder.resolve(SERVER), text.toString());
	}

	/**
	 * Keeps a renewed key and certificate in place of the current ones, so that a crash at any moment leaves one
	 * valid identity: the new key, then the new certificate are written beside the current files (owner-only,
	 * forced to disk); the certificate's file being there commits the renewal; then each is renamed into place.
	 * {@link #load} finishes a renewal that a crash interrupted, or drops one that was not committed.
	 */
	void saveRenewed() throws IOException {
		PrivateFiles.write(this.folder.resolve(KEY + RENEWED), KeyMaterial.privateKeyPem(this.key));
		if (this.ca != null) {
			PrivateFiles.write(this.folder.resolve(CA), KeyMaterial.certificatePem(this.ca));
		}
		PrivateFiles.write(this.folder.resolve(CERTIFICATE + RENEWED), KeyMaterial.certificatePem(this.certificate));
		finishRenewal(this.folder);
	}

	/** Renames a committed renewal's files into place, or drops an uncommitted renewal's key. */
	private static void finishRenewal(Path folder) throws IOException {
		Path key = folder.resolve(KEY + RENEWED);
		Path certificate = folder.resolve(CERTIFICATE + RENEWED);
		if (!Files.exists(certificate)) {
			Files.deleteIfExists(key);
			return;
		}
		if (Files.exists(key)) {
			Files.move(key, folder.resolve(KEY), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		Files.move(certificate, folder.resolve(CERTIFICATE), StandardCopyOption.REPLACE_EXISTING,
				StandardCopyOption.ATOMIC_MOVE);
	}

	ServerTrust trust() {
		return ServerTrust.of(this.pinnedFingerprint, this.ca);
	}

	@Override
	public String toString() {
		return "Identity[" + this.computer + " at " + this.server + "]";
	}

}
