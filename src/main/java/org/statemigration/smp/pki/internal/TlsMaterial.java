package org.statemigration.smp.pki.internal;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

import org.statemigration.smp.crypto.CryptoException;

/**
 * What the server's TLS rests on, for beans that need it after start: the data directory, the client CA, and the
 * certificate the server presents (generated, or the operator's).
 *
 * @param dataDirectory absolute, normalized {@code smp.data-dir}
 * @param certificateAuthority the CA that issues client certificates
 * @param serverCertificate the certificate the HTTPS listener presents
 */
public record TlsMaterial(Path dataDirectory, CertificateAuthority certificateAuthority,
		X509Certificate serverCertificate) {

	/**
	 * The server certificate's SHA-256 fingerprint as {@code openssl x509 -fingerprint -sha256} prints it
	 * (uppercase hex pairs separated by colons), for clients that pin it.
	 */
	public String serverCertificateFingerprint() {
		return fingerprint(this.serverCertificate);
	}

	/** SHA-256 of the certificate's DER encoding, as uppercase hex pairs separated by colons. */
	public static String fingerprint(X509Certificate certificate) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
			return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
		}
		catch (GeneralSecurityException ex) {
			throw new CryptoException("Cannot digest certificate", ex);
		}
	}

}
