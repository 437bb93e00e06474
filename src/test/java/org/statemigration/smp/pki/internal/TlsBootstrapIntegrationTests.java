package org.statemigration.smp.pki.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.util.FileSystemUtils;

import org.statemigration.smp.SmpApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Starts the whole server on a random port and talks to it over real TLS, as a computer or a browser would.
 */
@SpringBootTest(classes = SmpApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "smp.data-dir=${java.io.tmpdir}/smp-tls-it-${random.uuid}",
				"spring.datasource.url=jdbc:h2:mem:tls-it;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DB_CLOSE_DELAY=-1",
				"spring.flyway.enabled=true" })
@Import(TlsBootstrapIntegrationTests.ClientCertificateProbe.class)
class TlsBootstrapIntegrationTests {

	private static final String PROBE = "/test/client-certificate";

	@LocalServerPort
	int port;

	@Autowired
	TlsMaterial tlsMaterial;

	@Autowired
	CertificateAuthority certificateAuthority;

	@Autowired
	WebServerApplicationContext context;

	private static volatile Path dataDirectory;

	@BeforeEach
	void rememberDataDirectory() {
		dataDirectory = this.tlsMaterial.dataDirectory();
	}

	// the data directory holds key material: leave none of it behind in the temporary directory
	@AfterAll
	static void deleteDataDirectory() throws IOException {
		if (dataDirectory != null) {
			FileSystemUtils.deleteRecursively(dataDirectory);
		}
	}

	@Test
	void servesHttpsWithTheCertificateTlsMaterialDescribes() throws Exception {
		HttpResponse<String> response = client(null).send(request("/actuator/health"),
				HttpResponse.BodyHandlers.ofString());
		// any HTTP answer proves the TLS handshake, with the server's name checked against the CA-issued certificate
		assertThat(response.statusCode()).isIn(200, 401);
		X509Certificate presented = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
		assertThat(TlsMaterial.fingerprint(presented)).isEqualTo(this.tlsMaterial.serverCertificateFingerprint())
			.matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
		assertThat(this.tlsMaterial.dataDirectory()).isAbsolute()
			.isEqualTo(this.tlsMaterial.dataDirectory().normalize());
		assertThat(this.tlsMaterial.certificateAuthority()).isSameAs(this.certificateAuthority);
	}

	@Test
	void hasNoPlaintextListener() throws Exception {
		for (Connector connector : ((TomcatWebServer) this.context.getWebServer()).getTomcat()
			.getService()
			.findConnectors()) {
			assertThat(((AbstractHttp11Protocol<?>) connector.getProtocolHandler()).isSSLEnabled()).isTrue();
		}
		HttpRequest plain = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + PROBE)).build();
		HttpResponse<String> response = HttpClient.newHttpClient().send(plain, HttpResponse.BodyHandlers.ofString());
		// Tomcat answers plain HTTP on a TLS port with a 400 that says so, without serving the request
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("requires TLS").doesNotContain("none");
	}

	@Test
	void aBrowserWithoutAClientCertificateIsServedWithoutIdentity() throws Exception {
		HttpResponse<String> response = client(null).send(request(PROBE), HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).isEqualTo("none");
	}

	@Test
	void aComputerPresentingACertificateFromTheCaIsIdentified() throws Exception {
		KeyPair keyPair = CertificationRequestsForTests.ecKeyPair("secp256r1");
		String csr = CertificationRequestsForTests.csrPem(keyPair, "CN=x");
		X509Certificate certificate = this.certificateAuthority.issueClientCertificate(csr, "PC-042",
				Duration.ofDays(1));
		HttpResponse<String> response = client(new PresentAlways(certificate, keyPair.getPrivate()))
			.send(request(PROBE), HttpResponse.BodyHandlers.ofString());
		assertThat(response.body()).isEqualTo("CN=PC-042");
	}

	@Test
	void aSelfSignedClientCertificateIsRefusedInTheHandshakeRatherThanIgnored() throws Exception {
		KeyPair keyPair = CertificationRequestsForTests.ecKeyPair("secp256r1");
		X509Certificate selfSigned = selfSigned(keyPair, "CN=PC-042");
		// the JDK would not even offer a certificate the server's CA list does not name: force it, as an attacker would
		HttpClient client = client(new PresentAlways(selfSigned, keyPair.getPrivate()));
		assertThatExceptionOfType(SSLHandshakeException.class)
			.isThrownBy(() -> client.send(request(PROBE), HttpResponse.BodyHandlers.ofString()))
			.withMessageContaining("certificate_unknown");
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create("https://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(20))
			.build();
	}

	private HttpClient client(KeyManager keyManager) throws Exception {
		return client(this.certificateAuthority.certificate(), keyManager);
	}

	/** A client that trusts the given CA and presents what the key manager chooses, if any. */
	static HttpClient client(X509Certificate ca, KeyManager keyManager) throws Exception {
		KeyStore trusted = KeyStore.getInstance("PKCS12");
		trusted.load(null, null);
		trusted.setCertificateEntry("smp-ca", ca);
		TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
		trustManagers.init(trusted);
		SSLContext sslContext = SSLContext.getInstance("TLS");
		sslContext.init((keyManager != null) ? new KeyManager[] { keyManager } : null,
				trustManagers.getTrustManagers(), null);
		return HttpClient.newBuilder().sslContext(sslContext).connectTimeout(Duration.ofSeconds(10)).build();
	}

	static X509Certificate selfSigned(KeyPair keyPair, String subject) throws Exception {
		X500Name name = new X500Name(subject);
		Instant now = Instant.now();
		return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
				BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minusSeconds(60)),
				Date.from(now.plusSeconds(3600)), name, keyPair.getPublic())
			.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
	}

	/** Offers its one certificate whatever CAs the server names. */
	static final class PresentAlways extends X509ExtendedKeyManager {

		private final X509Certificate certificate;

		private final PrivateKey key;

		PresentAlways(X509Certificate certificate, PrivateKey key) {
			this.certificate = certificate;
			this.key = key;
		}

		@Override
		public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
			return "client";
		}

		@Override
		public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
			return "client";
		}

		@Override
		public String[] getClientAliases(String keyType, Principal[] issuers) {
			return new String[] { "client" };
		}

		@Override
		public X509Certificate[] getCertificateChain(String alias) {
			return new X509Certificate[] { this.certificate };
		}

		@Override
		public PrivateKey getPrivateKey(String alias) {
			return this.key;
		}

		@Override
		public String[] getServerAliases(String keyType, Principal[] issuers) {
			return null;
		}

		@Override
		public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
			return null;
		}

	}

	/** Answers with the subject of the client certificate the TLS layer accepted, ahead of any security filter. */
	@TestConfiguration(proxyBeanMethods = false)
	static class ClientCertificateProbe {

		@Bean
		FilterRegistrationBean<Filter> clientCertificateProbe() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				if (!PROBE.equals(((HttpServletRequest) request).getRequestURI())) {
					chain.doFilter(request, response);
					return;
				}
				X509Certificate[] certificates = (X509Certificate[]) request
					.getAttribute("jakarta.servlet.request.X509Certificate");
				response.setContentType("text/plain");
				response.getWriter()
					.write((certificates != null) ? certificates[0].getSubjectX500Principal().getName() : "none");
			});
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
