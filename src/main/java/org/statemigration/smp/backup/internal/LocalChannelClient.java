package org.statemigration.smp.backup.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

import org.statemigration.smp.backup.LocalChannel;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.env.Environment;
import org.springframework.core.io.DefaultResourceLoader;

/**
 * The command's side of the local channel: when the embedded database is held by a server running on the same data
 * directory, the command reads the channel's secret and the server's port from {@link LocalChannel#FILE_NAME}, and
 * asks that server, over HTTPS on the loopback address (or the address the server is configured to listen on),
 * to write the backup. It trusts exactly the server's own certificate, as the configuration names it (by default
 * {@code tls/server.p12}), and no certificate authority. The passphrase of {@code --include-keys} travels in the
 * request's body, never in its address. The server's progress is printed as the command's own.
 */
final class LocalChannelClient {

	private static final String PATH = "/local/v1/backup";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Environment environment;

	private final Path channelFile;

	private final PrintStream out;

	private final BackupProgress progress;

	LocalChannelClient(Environment environment, Path channelFile, PrintStream out, BackupProgress progress) {
		this.environment = environment;
		this.channelFile = channelFile;
		this.out = out;
		this.progress = progress;
	}

	/** The channel's file of the data directory that {@code environment} names. */
	static Path channelFile(Environment environment) {
		return Path.of(environment.getProperty("smp.data-dir", "./data")).toAbsolutePath().normalize()
			.resolve(LocalChannel.FILE_NAME);
	}

	/**
	 * Asks the server for the backup and reports it.
	 * @param folder the backup's folder
	 * @param passphrase the passphrase of the keys, or null
	 * @throws IllegalStateException with what went wrong, if the backup was not written
	 */
	void backup(Path folder, char[] passphrase) throws IOException {
		Map<String, String> channel = read(this.channelFile);
		String secret = channel.get("secret");
		String port = channel.getOrDefault("port", this.environment.getProperty("server.port", "8443"));
		if (secret == null) {
			throw new IllegalStateException(this.channelFile + " holds no secret");
		}
		String host = host();
		this.progress.say("The embedded database is held by the server running on this data directory: that server "
				+ "writes the backup (local channel, https://" + host + ":" + port + ")");
		URI uri = URI.create("https://" + host + ":" + Integer.parseInt(port.strip()) + PATH);
		HttpsURLConnection connection = (HttpsURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
		connection.setSSLSocketFactory(pinned(serverCertificate()).getSocketFactory());
		// the one certificate trusted is the server's own, whatever names it carries
		connection.setHostnameVerifier((name, session) -> true);
		connection.setRequestMethod("POST");
		connection.setConnectTimeout(10_000);
		connection.setReadTimeout(0);
		connection.setDoOutput(true);
		connection.setRequestProperty("Authorization", "Bearer " + secret);
		connection.setRequestProperty("Content-Type", "application/json");
		connection.setRequestProperty("Accept", ChannelEvents.MEDIA_TYPE + ", application/problem+json");
		byte[] body = body(folder, passphrase);
		try {
			connection.setFixedLengthStreamingMode(body.length);
			try (OutputStream request = connection.getOutputStream()) {
				request.write(body);
			}
		}
		finally {
			Arrays.fill(body, (byte) 0);
		}
		int status = connection.getResponseCode();
		if (status != HttpURLConnection.HTTP_OK) {
			throw new IllegalStateException("the server refused (" + status + "): " + problem(connection));
		}
		try (BufferedReader lines = new BufferedReader(
				new InputStreamReader(connection.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (line.isBlank()) {
					continue;
				}
				ChannelEvents.Event event = ChannelEvents.Event.parse(line);
				if (event.replay(this.progress)) {
					continue;
				}
				if (event.name().equals("done")) {
					event.report().print(folder, this.out);
					return;
				}
				if (event.name().equals("failed")) {
					throw new IllegalStateException(event.detail());
				}
			}
		}
		throw new IllegalStateException("the server's answer broke off before the backup was finished");
	}

	/** The address the server listens on: the loopback address, unless the configuration names one. */
	private String host() throws IOException {
		String configured = this.environment.getProperty("server.address");
		InetAddress address = (configured == null || configured.isBlank()) ? InetAddress.getLoopbackAddress()
				: InetAddress.getByName(configured);
		if (address.isAnyLocalAddress()) {
			address = InetAddress.getLoopbackAddress();
		}
		String literal = address.getHostAddress();
		return literal.contains(":") ? "[" + literal + "]" : literal;
	}

	private static Map<String, String> read(Path file) throws IOException {
		Map<String, String> values = new HashMap<>();
		try {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				int equals = line.indexOf('=');
				if (equals > 0) {
					values.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
				}
			}
		}
		catch (AccessDeniedException ex) {
			throw new IllegalStateException("cannot read " + file + ": run backup as the user the server runs as");
		}
		return values;
	}

	private static byte[] body(Path folder, char[] passphrase) {
		java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
		try (JsonGenerator generator = json.createGenerator(bytes)) {
			generator.writeStartObject();
			generator.writeStringProperty("folder", folder.toString());
			generator.writeBooleanProperty("includeKeys", passphrase != null);
			if (passphrase != null) {
				generator.writeName("passphrase");
				generator.writeString(passphrase, 0, passphrase.length);
			}
			generator.writeEndObject();
		}
		return bytes.toByteArray();
	}

	private static String problem(HttpURLConnection connection) {
		try (InputStream error = connection.getErrorStream()) {
			if (error == null) {
				return "no details";
			}
			JsonNode problem = json.readTree(error);
			return problem.path("detail").asString(problem.path("title").asString("no details"));
		}
		catch (IOException | RuntimeException ex) {
			return "no details";
		}
	}

	/** The server's certificate, from the key store or PEM certificate of its SSL bundle. */
	private X509Certificate serverCertificate() throws IOException {
		String bundle = this.environment.getProperty("server.ssl.bundle", "smp-server");
		String jks = "spring.ssl.bundle.jks." + bundle + ".";
		String pem = "spring.ssl.bundle.pem." + bundle + ".keystore.certificate";
		DefaultResourceLoader resources = new DefaultResourceLoader();
		try {
			String location = this.environment.getProperty(jks + "keystore.location");
			if (location != null) {
				KeyStore store = KeyStore.getInstance(this.environment.getProperty(jks + "keystore.type", "PKCS12"));
				String password = this.environment.getProperty(jks + "keystore.password", "");
				try (InputStream in = resources.getResource(location).getInputStream()) {
					store.load(in, password.toCharArray());
				}
				String alias = this.environment.getProperty(jks + "key.alias");
				if (alias == null) {
					alias = Collections.list(store.aliases()).stream().filter((name) -> isKey(store, name)).findFirst()
						.orElseThrow(() -> new IllegalStateException("the server's key store holds no key"));
				}
				return (X509Certificate) store.getCertificate(alias);
			}
			String certificate = this.environment.getProperty(pem);
			if (certificate != null) {
				try (InputStream in = certificate.strip().startsWith("-----BEGIN")
						? new java.io.ByteArrayInputStream(certificate.getBytes(StandardCharsets.US_ASCII))
						: resources.getResource(certificate).getInputStream()) {
					return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
				}
			}
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("cannot read the server's certificate: " + ex.getMessage(), ex);
		}
		throw new IllegalStateException("the configuration names no certificate of the server (SSL bundle " + bundle
				+ ")");
	}

	private static boolean isKey(KeyStore store, String alias) {
		try {
			return store.isKeyEntry(alias);
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	private static SSLContext pinned(X509Certificate expected) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, new TrustManager[] { new PinnedCertificate(expected) }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Trusts one certificate, the server's own, and nothing else. */
	private static final class PinnedCertificate extends X509ExtendedTrustManager {

		private final X509Certificate expected;

		PinnedCertificate(X509Certificate expected) {
			this.expected = expected;
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			if (chain == null || chain.length == 0 || !chain[0].equals(this.expected)) {
				throw new CertificateException("the server did not present its own certificate");
			}
			chain[0].checkValidity();
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			checkServerTrusted(chain, authType);
		}

		@Override
		public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			checkServerTrusted(chain, authType);
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
			throw new CertificateException("not a server");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
				throws CertificateException {
			throw new CertificateException("not a server");
		}

		@Override
		public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
				throws CertificateException {
			throw new CertificateException("not a server");
		}

		@Override
		public X509Certificate[] getAcceptedIssuers() {
			return new X509Certificate[0];
		}

	}

}
