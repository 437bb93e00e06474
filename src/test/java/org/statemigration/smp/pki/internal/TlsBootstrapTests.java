package org.statemigration.smp.pki.internal;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.bootstrap.DefaultBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import org.statemigration.smp.crypto.KeyEncryptionKeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class TlsBootstrapTests {

	private static final String KEY_STORE = "spring.ssl.bundle.jks.smp-server.keystore.";

	private static final String TRUST_STORE = "spring.ssl.bundle.jks.smp-server.truststore.";

	@TempDir
	Path temp;

	private StoredCertificateAuthority stored;

	@Test
	void resolvesTheDataDirectoryToAnAbsoluteNormalizedPathThatPlaceholdersSee() {
		StandardEnvironment environment = bootstrap(Map.of("smp.data-dir", this.temp.resolve("a/../data").toString()));
		Path dataDir = this.temp.resolve("data").toAbsolutePath();
		assertThat(environment.getProperty("smp.data-dir")).isEqualTo(dataDir.toString());
		assertThat(environment.resolvePlaceholders("${smp.data-dir}/db/smp")).isEqualTo(dataDir + "/db/smp");
		assertThat(environment.getProperty("smp.crypto.master-key-file"))
			.isEqualTo(dataDir.resolve("keys/master.key").toString());
		assertThat(environment.getProperty("server.port")).isEqualTo("8443");
	}

	@Test
	void createsKeysAndStoresReadableByTheOwnerOnly() throws Exception {
		bootstrap(Map.of("smp.data-dir", this.temp.toString()));
		for (String file : List.of("keys/master.key", "tls/server.p12",
				"tls/server.p12.password", "tls/client-ca.p12")) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.temp.resolve(file))))
				.as(file)
				.isEqualTo("rw-------");
		}
		for (String directory : List.of("keys", "tls")) {
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(this.temp.resolve(directory))))
				.as(directory)
				.isEqualTo("rwx------");
		}
	}

	@Test
	void pointsTheServerSslBundleAtTheGeneratedStoresAndAsksForClientCertificates() throws Exception {
		StandardEnvironment environment = bootstrap(Map.of("smp.data-dir", this.temp.toString()));
		assertThat(environment.getProperty("server.ssl.bundle")).isEqualTo("smp-server");
		assertThat(environment.getProperty("server.ssl.client-auth")).isEqualTo("want");
		assertThat(environment.getProperty(KEY_STORE + "location"))
			.isEqualTo(this.temp.resolve("tls/server.p12").toUri().toString());
		assertThat(environment.getProperty(KEY_STORE + "password"))
			.isEqualTo(Files.readString(this.temp.resolve("tls/server.p12.password")).strip())
			.hasSizeGreaterThanOrEqualTo(32);
		assertThat(environment.getProperty(TRUST_STORE + "location"))
			.isEqualTo(this.temp.resolve("tls/client-ca.p12").toUri().toString());
		KeyStore trustStore = load(this.temp.resolve("tls/client-ca.p12"),
				environment.getProperty(TRUST_STORE + "password"));
		assertThat(Collections.list(trustStore.aliases())).hasSize(1);
		assertThat(trustStore.getCertificate("smp-client-ca")).isEqualTo(ca().certificate());
	}

	@Test
	void issuesTheServerCertificateFromTheCaForLocalNamesAndConfiguredOnes() throws Exception {
		StandardEnvironment environment = bootstrap(Map.of("smp.data-dir", this.temp.toString(),
				"smp.tls.subject-alternative-names", "smp.example.org, 10.0.0.5"));
		X509Certificate certificate = serverCertificate(environment);
		certificate.verify(ca().certificate().getPublicKey());
		assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
		assertThat(certificate.getSubjectAlternativeNames()).extracting((name) -> (Object) name.get(1))
			.contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1", "smp.example.org", "10.0.0.5");
		assertThat(certificate.getNotAfter().toInstant())
			.isAfter(Instant.now().plus(Duration.ofDays(729)));
	}

	@Test
	void reusesTheServerCertificateOnLaterStarts() throws Exception {
		X509Certificate first = serverCertificate(bootstrap(Map.of("smp.data-dir", this.temp.toString())));
		X509Certificate second = serverCertificate(bootstrap(Map.of("smp.data-dir", this.temp.toString())));
		assertThat(second).isEqualTo(first);
	}

	@Test
	void regeneratesTheServerCertificateWhenAConfiguredNameIsMissing() throws Exception {
		X509Certificate first = serverCertificate(bootstrap(Map.of("smp.data-dir", this.temp.toString())));
		X509Certificate second = serverCertificate(bootstrap(
				Map.of("smp.data-dir", this.temp.toString(), "smp.tls.subject-alternative-names", "smp.example.org")));
		assertThat(second).isNotEqualTo(first);
		assertThat(second.getSubjectAlternativeNames()).extracting((name) -> (Object) name.get(1))
			.contains("smp.example.org");
	}

	@Test
	void regeneratesTheServerCertificateOnceItHasExpired() throws Exception {
		bootstrap(Map.of("smp.data-dir", this.temp.toString()));
		ServerKeyStore stores = new ServerKeyStore(this.temp.resolve("tls"));
		Files.delete(stores.keyStoreFile());
		ServerNames names = ServerNames.of(List.of("localhost"));
		ServerNames none = ServerNames.of(List.of());
		X509Certificate shortLived = stores.loadOrCreate(ca(), names, none, Duration.ofSeconds(1))
			.certificate();
		Thread.sleep(1500);
		X509Certificate renewed = stores.loadOrCreate(ca(), names, none, Duration.ofDays(1)).certificate();
		assertThat(renewed).isNotEqualTo(shortLived);
		renewed.checkValidity();
	}

	@Test
	void leavesTheOperatorsJksKeyStoreAloneAndAddsTheClientCaTrustStore() {
		StandardEnvironment environment = bootstrap(Map.of("smp.data-dir", this.temp.toString(),
				KEY_STORE + "location", "file:/etc/smp/tls.p12", KEY_STORE + "password", "operator's"));
		assertThat(environment.getProperty(KEY_STORE + "location")).isEqualTo("file:/etc/smp/tls.p12");
		assertThat(environment.getProperty(KEY_STORE + "password")).isEqualTo("operator's");
		assertThat(environment.getProperty(TRUST_STORE + "location"))
			.isEqualTo(this.temp.resolve("tls/client-ca.p12").toUri().toString());
		assertThat(environment.getProperty("server.ssl.bundle")).isEqualTo("smp-server");
		assertThat(this.temp.resolve("tls/server.p12")).doesNotExist();
	}

	@Test
	void trustsTheClientCaInTheOperatorsPemBundle() {
		StandardEnvironment environment = bootstrap(Map.of("smp.data-dir", this.temp.toString(),
				"spring.ssl.bundle.pem.smp-server.keystore.certificate", "file:/etc/smp/tls.crt"));
		assertThat(environment.getProperty("spring.ssl.bundle.pem.smp-server.truststore.certificate"))
			.isEqualTo(this.temp.resolve("keys/ca.crt").toUri().toString());
		assertThat(environment.containsProperty(KEY_STORE + "location")).isFalse();
		assertThat(environment.containsProperty(TRUST_STORE + "location")).isFalse();
		assertThat(this.temp.resolve("tls/server.p12")).doesNotExist();
	}

	@Test
	void keepsTheOperatorsOwnClientAuthenticationSetting() {
		StandardEnvironment environment = bootstrap(
				Map.of("smp.data-dir", this.temp.toString(), "server.ssl.client-auth", "need"));
		assertThat(environment.getProperty("server.ssl.client-auth")).isEqualTo("need");
	}

	@Test
	void refusesToServePlainHttp() {
		assertThatIllegalStateException()
			.isThrownBy(() -> bootstrap(Map.of("smp.data-dir", this.temp.toString(), "server.ssl.enabled", "false")))
			.withMessageContaining("HTTPS only");
	}

	@Test
	void registersTheTlsFilesAndTheKeysAsBeans() {
		SpringApplication application = new SpringApplication(Object.class);
		bootstrap(application, Map.of("smp.data-dir", this.temp.toString()));
		try (GenericApplicationContext context = new GenericApplicationContext()) {
			for (ApplicationContextInitializer<?> initializer : application.getInitializers()) {
				initialize(initializer, context);
			}
			context.refresh();
			assertThat(context.getBean(TlsFiles.class).keysDirectory()).isEqualTo(this.temp.resolve("keys"));
			assertThat(context.getBean(KeyEncryptionKeys.class).file())
				.isEqualTo(this.temp.resolve("keys/master.key"));
		}
	}

	@Test
	void leavesTheClientCaToTheContextWhichHasItFromTheDatabase() {
		SpringApplication application = new SpringApplication(Object.class);
		bootstrap(application, Map.of("smp.data-dir", this.temp.toString()), false);
		assertThat(this.temp.resolve("keys/ca.crt")).doesNotExist();
		assertThat(this.temp.resolve("keys/ca.key.wrapped")).doesNotExist();
		assertThat(this.temp.resolve("tls/server.p12")).doesNotExist();
		assertThat(this.temp.resolve("tls/server.p12.password")).exists();
	}

	@Test
	void warnsWhenOthersCanReadTheMasterKeyWithoutLoggingAnySecret(CapturedOutput output) throws Exception {
		Path masterKey = this.temp.resolve("keys/master.key");
		KeyEncryptionKeys.loadOrCreate(masterKey);
		Files.setPosixFilePermissions(masterKey, PosixFilePermissions.fromString("rw-r--r--"));
		StandardEnvironment environment = bootstrap(Map.of("smp.data-dir", this.temp.toString()));
		assertThat(output).contains("can be read by other users");
		String keyLine = Files.readAllLines(masterKey).get(1);
		assertThat(output).doesNotContain(keyLine.substring(keyLine.lastIndexOf(' ') + 1))
			.doesNotContain(environment.getProperty(KEY_STORE + "password"));
	}

	@SuppressWarnings("unchecked")
	private static void initialize(ApplicationContextInitializer<?> initializer,
			ConfigurableApplicationContext context) {
		((ApplicationContextInitializer<ConfigurableApplicationContext>) initializer).initialize(context);
	}

	private StandardEnvironment bootstrap(Map<String, Object> properties) {
		return bootstrap(new SpringApplication(Object.class), properties);
	}

	private StandardEnvironment bootstrap(SpringApplication application, Map<String, Object> properties) {
		return bootstrap(application, properties, true);
	}

	/**
	 * Runs the bootstrap, then, if asked, writes the TLS files as the context does once it has the CA from the
	 * database.
	 */
	private StandardEnvironment bootstrap(SpringApplication application, Map<String, Object> properties,
			boolean writeFiles) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", new LinkedHashMap<>(properties)));
		new TlsBootstrap().onApplicationEvent(new ApplicationEnvironmentPreparedEvent(new DefaultBootstrapContext(),
				application, new String[0], environment));
		if (writeFiles) {
			try (GenericApplicationContext context = new GenericApplicationContext()) {
				for (ApplicationContextInitializer<?> initializer : application.getInitializers()) {
					initialize(initializer, context);
				}
				context.getBeanFactory().getBean(TlsFiles.class).write(ca());
			}
		}
		return environment;
	}

	/** The client CA of this test's "database": one per test, as stored by the first start. */
	private CertificateAuthority ca() {
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(this.temp.resolve("keys/master.key"));
		if (this.stored == null) {
			this.stored = CertificateAuthorityFiles.generate(keys);
		}
		return CertificateAuthorityFiles.open(this.stored, keys);
	}

	private X509Certificate serverCertificate(StandardEnvironment environment) throws Exception {
		KeyStore keyStore = load(this.temp.resolve("tls/server.p12"), environment.getProperty(KEY_STORE + "password"));
		return (X509Certificate) keyStore.getCertificate(ServerKeyStore.KEY_ALIAS);
	}

	private static KeyStore load(Path file, String password) throws Exception {
		KeyStore keyStore = KeyStore.getInstance("PKCS12");
		keyStore.load(new ByteArrayInputStream(Files.readAllBytes(file)), password.toCharArray());
		return keyStore;
	}

}
