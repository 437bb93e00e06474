package org.statemigration.smp.pki.internal;

import java.nio.file.Path;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.util.Collections;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;


/**
 * Exposes {@link TlsMaterial}. The server certificate is read back from the SSL bundle the web server uses, so it is
 * the one clients see whether it was generated or configured by the operator.
 */
@Configuration(proxyBeanMethods = false)
class TlsConfiguration {

	@Bean
	TlsMaterial tlsMaterial(SslBundles sslBundles, CertificateAuthority certificateAuthority, Environment environment) {
		String bundleName = environment.getProperty("server.ssl.bundle", TlsBootstrap.BUNDLE);
		Path dataDirectory = Path.of(environment.getRequiredProperty(TlsBootstrap.DATA_DIR));
		X509Certificate serverCertificate = serverCertificate(sslBundles.getBundle(bundleName));
		return new TlsMaterial(dataDirectory, certificateAuthority, serverCertificate);
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

}
