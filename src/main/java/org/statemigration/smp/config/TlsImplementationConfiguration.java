package org.statemigration.smp.config;

import java.util.Locale;

import org.apache.catalina.core.OpenSSLLifecycleListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Which implementation of TLS the HTTPS connector uses: OpenSSL through the Java FFM API when it can, JSSE
 * otherwise. Captures and restores are gigabytes, and TLS is a large part of what a transfer costs the server;
 * OpenSSL is the library nginx uses (what it gains here is measured in {@code docs/benchmarks.md}).
 * <p>
 * OpenSSL serves when four things hold: the runtime is Java 22 or later (FFM), Tomcat's FFM classes are on the class
 * path (the {@code tomcat-coyote-ffm} jar of the Tomcat version, built in with {@code -Popenssl}), the JVM may call
 * native code (the jar's manifest says {@code Enable-Native-Access}), and {@code libssl} 3 loads. Otherwise JSSE
 * serves, as on Java 17. Either way the connector takes the same SSL bundle: the same server key, the same trust
 * store (OpenSSL asks the JVM's trust manager about every client certificate, and names the same CA in its request),
 * the same {@code client-auth}, protocols and ciphers; the choice is said once in the log at start.
 * {@code smp.tls.implementation} forces either: {@code jsse}, or {@code openssl}, which then refuses to start
 * without it rather than serve slower than planned.
 */
@Configuration(proxyBeanMethods = false)
class TlsImplementationConfiguration {

	static final String PROPERTY = "smp.tls.implementation";

	/** Tomcat's implementation over FFM, compiled for Java 22: named, never referenced, so that this compiles for 17. */
	static final String OPENSSL_FFM = "org.apache.tomcat.util.net.openssl.panama.OpenSSLImplementation";

	/**
	 * Tomcat's default TLS 1.2 ciphers less the families that OpenSSL has and JSSE lacks (CCM, ARIA, Camellia): the
	 * ciphers JSSE serves with the default, for either implementation.
	 */
	static final String CIPHERS = SSLHostConfig.DEFAULT_TLS_CIPHERS_12 + ":!AESCCM:!ARIA:!CAMELLIA";

	private static final Log logger = LogFactory.getLog(TlsImplementationConfiguration.class);

	@Bean
	TomcatConnectorCustomizer tlsImplementation(Environment environment) {
		String implementation = choose(environment.getProperty(PROPERTY, "auto"), Runtime.version().feature(),
				ClassUtils.isPresent(OPENSSL_FFM, TlsImplementationConfiguration.class.getClassLoader()));
		return (connector) -> {
			if (OPENSSL_FFM.equals(implementation)) {
				// OpenSSL reads and writes native memory: with heap buffers every record is copied in and out
				connector.setProperty("socket.directSslBuffer", "true");
				connector.setProperty("socket.directBuffer", "true");
			}
			if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> protocol) {
				// named even for JSSE: Tomcat would otherwise pick OpenSSL by itself once the library is loaded
				protocol.setSslImplementationName(implementation);
				for (SSLHostConfig host : protocol.findSslHostConfigs()) {
					// ciphers an operator chose (the bundle's options) stay as they are
					if (SSLHostConfig.DEFAULT_TLS_CIPHERS_12.equals(host.getCiphers())) {
						host.setCiphers(CIPHERS);
					}
				}
			}
		};
	}

	/**
	 * The class name of the implementation to use, after saying which and why.
	 * @param setting {@code auto}, {@code openssl} or {@code jsse}
	 * @param javaFeature the runtime's feature version
	 * @param ffmClassesPresent whether Tomcat's FFM classes are on the class path
	 */
	static String choose(String setting, int javaFeature, boolean ffmClassesPresent) {
		String mode = setting.trim().toLowerCase(Locale.ROOT);
		if (mode.equals("jsse")) {
			return jsse("JSSE serves TLS: " + PROPERTY + "=jsse");
		}
		if (!mode.equals("auto") && !mode.equals("openssl")) {
			throw new IllegalStateException(PROPERTY + " must be auto, openssl or jsse, not '" + setting + "'");
		}
		String unavailable = whyOpenSslIsUnavailable(javaFeature, ffmClassesPresent);
		if (unavailable == null) {
			logger.info("OpenSSL serves TLS (" + OpenSSLLifecycleListener.getInstalledOpenSslVersion()
					+ ", through FFM on Java " + javaFeature + ")");
			return OPENSSL_FFM;
		}
		if (mode.equals("openssl")) {
			throw new IllegalStateException(PROPERTY + "=openssl, but OpenSSL cannot serve: " + unavailable);
		}
		return jsse("JSSE serves TLS: " + unavailable + " (Java 22 or later with libssl 3 and a jar built with "
				+ "-Popenssl serve it through OpenSSL)");
	}

	private static String whyOpenSslIsUnavailable(int javaFeature, boolean ffmClassesPresent) {
		if (javaFeature < 22) {
			return "Java " + javaFeature + " has no FFM API";
		}
		if (!ffmClassesPresent) {
			return "this jar holds no Tomcat FFM classes (tomcat-coyote-ffm)";
		}
		// the listener's existence is what lets Tomcat load the library; loading it reports its own failure
		new OpenSSLLifecycleListener();
		if (!OpenSSLLifecycleListener.isAvailable()) {
			return "libssl 3 could not be loaded";
		}
		return null;
	}

	private static String jsse(String reason) {
		logger.info(reason);
		return JSSEImplementation.class.getName();
	}

}
