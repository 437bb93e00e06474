package org.statemigration.smp.pki.internal;

import java.nio.file.Path;

/**
 * The files of the data directory that the server's TLS reads and that depend on the client CA: the trust store
 * {@code tls/client-ca.p12}, the copy {@code keys/ca.crt}, and, unless the operator configured a key store, the
 * generated server certificate {@code tls/server.p12} issued by the CA. {@link TlsBootstrap} decides, before the
 * context, which of them the SSL bundle reads; they are written in the context, once the CA is known from the
 * database, and before the SSL bundles are registered ({@link TlsConfiguration}).
 */
final class TlsFiles {

	private final Path dataDirectory;

	private final GeneratedServerCertificate generated;

	/**
	 * @param dataDirectory absolute, normalized {@code smp.data-dir}
	 * @param generated the names of the generated server certificate, or {@code null} if the operator brings one
	 */
	TlsFiles(Path dataDirectory, GeneratedServerCertificate generated) {
		this.dataDirectory = dataDirectory;
		this.generated = generated;
	}

	Path keysDirectory() {
		return this.dataDirectory.resolve("keys");
	}

	Path dataDirectory() {
		return this.dataDirectory;
	}

	/** Writes the trust store for the CA and loads, or generates, the server certificate it issued. */
	void write(CertificateAuthority ca) {
		ServerKeyStore stores = new ServerKeyStore(this.dataDirectory.resolve("tls"));
		stores.writeTrustStore(ca.certificate());
		if (this.generated != null) {
			stores.loadOrCreate(ca, this.generated.names(), this.generated.requiredNames(),
					TlsBootstrap.SERVER_CERTIFICATE_VALIDITY);
		}
	}

	/**
	 * What the generated server certificate must name.
	 * @param names all the names it is issued for
	 * @param requiredNames the configured ones, without which an existing certificate is replaced
	 */
	record GeneratedServerCertificate(ServerNames names, ServerNames requiredNames) {
	}

}
