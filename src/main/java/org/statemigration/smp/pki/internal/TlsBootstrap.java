package org.statemigration.smp.pki.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import org.statemigration.smp.crypto.KeyEncryptionKeys;
import org.statemigration.smp.crypto.OwnerOnlyFiles;

/**
 * Prepares HTTPS before the application context (and its web server) is created: resolves the data directory, loads
 * or creates the master key, and points Spring's SSL bundle {@value #BUNDLE} at the key and trust stores of the
 * data directory (generated ones unless the operator configured a key store). The client CA is in the database,
 * which is not reachable yet: the files that depend on it (the trust store, {@code keys/ca.crt}, a generated server
 * certificate issued by it) are written by {@link TlsFiles} in the context, before the SSL bundles are read.
 * Registered in {@code META-INF/spring.factories}, so it runs for {@code java -jar} and for {@code @SpringBootTest}
 * alike.
 */
public final class TlsBootstrap implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	/** The SSL bundle the server uses. */
	public static final String BUNDLE = "smp-server";

	static final String DATA_DIR = "smp.data-dir";

	static final String MASTER_KEY_FILE = "smp.crypto.master-key-file";

	static final String EXTRA_NAMES = "smp.tls.subject-alternative-names";

	static final Duration SERVER_CERTIFICATE_VALIDITY = Duration.ofDays(730);

	private static final String JKS = "spring.ssl.bundle.jks." + BUNDLE;

	private static final String PEM = "spring.ssl.bundle.pem." + BUNDLE;

	private static final Log logger = LogFactory.getLog(TlsBootstrap.class);

	@Override
	public int getOrder() {
		// after application.properties are loaded and logging is set up
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		ConfigurableEnvironment environment = event.getEnvironment();
		refuseUnsupportedSettings(environment);
		Path dataDir = Path.of(environment.getProperty(DATA_DIR, "./data")).toAbsolutePath().normalize();
		// pinned once, so that placeholders such as ${smp.data-dir}/db and a ${random.uuid} in it stay stable
		environment.getPropertySources()
			.addFirst(new MapPropertySource("smpDataDir", Map.of(DATA_DIR, dataDir.toString())));
		Map<String, Object> settings = new LinkedHashMap<>();
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("server.port", "8443");
		String defaultMasterKeyFile = dataDir.resolve("keys").resolve("master.key").toString();
		defaults.put(MASTER_KEY_FILE, defaultMasterKeyFile);

		Path masterKeyFile = Path.of(environment.getProperty(MASTER_KEY_FILE, defaultMasterKeyFile))
			.toAbsolutePath()
			.normalize();
		createPrivateDirectories(dataDir.resolve("keys"), dataDir.resolve("tls"));
		KeyEncryptionKeys keys = KeyEncryptionKeys.loadOrCreate(masterKeyFile);
		if (KeyEncryptionKeys.isReadableByOthers(masterKeyFile)) {
			logger.warn("The master key file " + masterKeyFile + " can be read by other users: chmod 600 it");
		}
		TlsFiles files = configureTls(environment, dataDir, settings, defaults);
		environment.getPropertySources().addFirst(new MapPropertySource("smpTlsBootstrap", settings));
		environment.getPropertySources().addLast(new MapPropertySource("smpTlsBootstrapDefaults", defaults));
		event.getSpringApplication().addInitializers((context) -> {
			context.getBeanFactory().registerSingleton("keyEncryptionKeys", keys);
			context.getBeanFactory().registerSingleton("tlsFiles", files);
		});
	}

	private TlsFiles configureTls(ConfigurableEnvironment environment, Path dataDir, Map<String, Object> settings,
			Map<String, Object> defaults) {
		ServerKeyStore stores = new ServerKeyStore(dataDir.resolve("tls"));
		TlsFiles.GeneratedServerCertificate generated = null;
		String bundle = environment.getProperty("server.ssl.bundle");
		if (bundle != null && !bundle.equals(BUNDLE)) {
			logger.info("TLS uses the operator's SSL bundle '" + bundle + "'; for client certificates it must trust "
					+ dataDir.resolve("keys").resolve("ca.crt"));
			return new TlsFiles(dataDir, null);
		}
		settings.put("server.ssl.bundle", BUNDLE);
		// ask for a client certificate but let browsers without one reach the console (DESIGN decision 1)
		defaults.put("server.ssl.client-auth", "want");
		Binder binder = Binder.get(environment);
		if (isSet(binder, PEM + ".keystore.certificate")) {
			if (!isSet(binder, PEM + ".truststore.certificate")) {
				defaults.put(PEM + ".truststore.certificate",
						dataDir.resolve("keys").resolve("ca.crt").toUri().toString());
			}
		}
		else {
			if (!isSet(binder, JKS + ".keystore.location")) {
				ServerNames extraNames = ServerNames.of(binder.bind(EXTRA_NAMES, Bindable.listOf(String.class))
					.orElse(List.of()));
				generated = new TlsFiles.GeneratedServerCertificate(defaultNames().plus(extraNames), extraNames);
				settings.put(JKS + ".keystore.location", stores.keyStoreFile().toUri().toString());
				settings.put(JKS + ".keystore.password", stores.loadOrCreatePassword());
				settings.put(JKS + ".keystore.type", "PKCS12");
				settings.put(JKS + ".key.alias", ServerKeyStore.KEY_ALIAS);
			}
			if (!isSet(binder, JKS + ".truststore.location")) {
				defaults.put(JKS + ".truststore.location", stores.trustStoreFile().toUri().toString());
				defaults.put(JKS + ".truststore.password", ServerKeyStore.TRUST_STORE_PASSWORD);
				defaults.put(JKS + ".truststore.type", "PKCS12");
			}
		}
		// a separate management port would otherwise listen in plain HTTP
		if (!isSet(binder, "management.server.ssl.bundle") && !isSet(binder, "management.server.ssl.key-store")
				&& !isSet(binder, "management.server.ssl.certificate")) {
			defaults.put("management.server.ssl.bundle", BUNDLE);
		}
		return new TlsFiles(dataDir, generated);
	}

	private static void createPrivateDirectories(Path... directories) {
		for (Path directory : directories) {
			try {
				OwnerOnlyFiles.createPrivateDirectory(directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot create " + directory, ex);
			}
		}
	}

	private static void refuseUnsupportedSettings(ConfigurableEnvironment environment) {
		if ("false".equalsIgnoreCase(environment.getProperty("server.ssl.enabled"))) {
			throw new IllegalStateException("smp serves HTTPS only: remove server.ssl.enabled=false");
		}
		if (environment.containsProperty("server.ssl.key-store")
				|| environment.containsProperty("server.ssl.certificate")) {
			throw new IllegalStateException("Configure the server certificate as SSL bundle '" + BUNDLE + "' ("
					+ JKS + ".keystore.* or " + PEM + ".keystore.*), not with server.ssl.key-store or "
					+ "server.ssl.certificate");
		}
	}

	/** localhost, this machine's host name and the loopback addresses. */
	static ServerNames defaultNames() {
		List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1"));
		String hostName = hostName();
		if (hostName != null) {
			names.add(hostName);
		}
		return ServerNames.of(names);
	}

	static String hostName() {
		try {
			String name = InetAddress.getLocalHost().getHostName();
			return (name == null || name.isBlank()) ? null : name;
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private static boolean isSet(Binder binder, String name) {
		return binder.bind(name, String.class).isBound();
	}

}
