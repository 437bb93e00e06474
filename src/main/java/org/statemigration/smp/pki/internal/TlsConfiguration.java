package org.statemigration.smp.pki.internal;

import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.Collections;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;


/**
 * The client CA from the database, the TLS files that depend on it, and {@link TlsMaterial}. The web server reads
 * its SSL bundle while the context starts, before ordinary beans: the registrar below, which Boot's SSL bundle
 * registry asks for first, is what makes the CA (and with it the database and its migrations) ready that early, and
 * writes the files before any bundle is read from them. The server certificate is read back from the SSL bundle
 * the web server uses, so it is the one clients see whether it was generated or configured by the operator.
 */
@Configuration(proxyBeanMethods = false)
class TlsConfiguration {

	@Bean
	CertificateAuthority certificateAuthority(CertificateAuthorityStore store, TlsFiles files) {
		return store.loadOrCreate(files.keysDirectory());
	}

	@Bean
	static SslBundleRegistrar clientCaTlsFiles(ObjectProvider<TlsFiles> files,
			ObjectProvider<CertificateAuthority> certificateAuthority) {
		return new ClientCaTlsFiles(files, certificateAuthority);
	}

	@Bean
	TlsMaterial tlsMaterial(SslBundles sslBundles, CertificateAuthority certificateAuthority, TlsFiles files,
			Environment environment) {
		String bundleName = environment.getProperty("server.ssl.bundle", TlsBootstrap.BUNDLE);
		X509Certificate serverCertificate = serverCertificate(sslBundles.getBundle(bundleName));
		return new TlsMaterial(files.dataDirectory(), certificateAuthority, serverCertificate);
	}

	private static X509Certificate serverCertificate(SslBundle bundle) {
		KeyStore keyStore = bundle.getStores().getKeyStore();
		try {
			String alias = bundle.getKey().getAlias();
			if (alias == null) {
				alias = Collections.list(keyStore.aliases())
					.stream()
					.filter((candidate) -> isKeyEntry(keyStore, candidate))
					.findFirst()
					.orElseThrow(() -> new IllegalStateException("The TLS key store holds no key"));
			}
			return (X509Certificate) keyStore.getCertificate(alias);
		}
		catch (KeyStoreException ex) {
			throw new IllegalStateException("Cannot read the TLS key store", ex);
		}
	}

	private static boolean isKeyEntry(KeyStore keyStore, String alias) {
		try {
			return keyStore.isKeyEntry(alias);
		}
		catch (KeyStoreException ex) {
			return false;
		}
	}

	/**
	 * Registers no bundle of its own: it writes the files that the properties' bundle {@code smp-server} is read
	 * from, first of all registrars.
	 */
	private static final class ClientCaTlsFiles implements SslBundleRegistrar, Ordered {

		private final ObjectProvider<TlsFiles> files;

		private final ObjectProvider<CertificateAuthority> certificateAuthority;

		ClientCaTlsFiles(ObjectProvider<TlsFiles> files, ObjectProvider<CertificateAuthority> certificateAuthority) {
			this.files = files;
			this.certificateAuthority = certificateAuthority;
		}

		@Override
		public void registerBundles(SslBundleRegistry registry) {
			this.files.getObject().write(this.certificateAuthority.getObject());
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

}
