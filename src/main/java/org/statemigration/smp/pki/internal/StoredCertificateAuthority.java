package org.statemigration.smp.pki.internal;

/**
 * The client CA as it is kept: its certificate in PEM and its PKCS#8 private key wrapped by the key-encryption keys
 * (context {@code ca-private-key}). Nothing here is secret without the master key.
 *
 * @param certificatePem the CA's self-signed certificate
 * @param wrappedKey its private key, wrapped
 */
public record StoredCertificateAuthority(String certificatePem, byte[] wrappedKey) {

	@Override
	public String toString() {
		return "StoredCertificateAuthority[wrapped key of " + this.wrappedKey.length + " bytes]";
	}

}
