package org.statemigration.smp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A running test server as a client sees it: its HTTPS address, the CA that its TLS certificate chains to (read
 * from the data dir, as an operator would copy it), and the first administrator's password.
 */
public final class TestServer {

	static final JsonMapper json = JsonMapper.builder().build();

	private final int port;

	private final Path dataDir;

	private final X509Certificate ca;

	public TestServer(int port, String dataDir) {
		this.port = port;
		this.dataDir = Path.of(dataDir).toAbsolutePath();
		this.ca = readCertificate(this.dataDir.resolve("keys/ca.crt"));
	}

	public URI uri(String path) {
		return URI.create("https://localhost:" + this.port + path);
	}

	public int port() {
		return this.port;
	}

	public Path dataDir() {
		return this.dataDir;
	}

	public X509Certificate ca() {
		return this.ca;
	}

	public String adminPassword() {
		try {
			return Files.readString(this.dataDir.resolve("initial-admin-password")).strip();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** An operator client with the first administrator's credentials. */
	public OperatorClient admin() {
		return operator("admin", adminPassword());
	}

	public OperatorClient operator(String username, String password) {
		return new OperatorClient(this, username, password);
	}

	/**
	 * An operator calling with an access token of the OpenID provider ({@code Authorization: Bearer}).
	 * @param name the operator's name in smp ({@code oidc:...}), for looking them up in the audit log
	 */
	public OperatorClient bearer(String name, String accessToken) {
		return OperatorClient.withToken(this, name, accessToken);
	}

	/** A client without credentials or client certificate. */
	public OperatorClient anonymous() {
		return new OperatorClient(this, null, null);
	}

	/** A computer that has no certificate yet; {@link ComputerClient#enroll} gives it one. */
	public ComputerClient computer(String name) {
		return new ComputerClient(this, name);
	}

	/** A TLS context that trusts only the server's CA, and presents no client certificate. */
	public SSLContext trustingContext() {
		try {
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("ca", this.ca);
			TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			factory.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, factory.getTrustManagers(), null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static HttpClient httpClient(SSLContext context) {
		return HttpClient.newBuilder()
			.sslContext(context)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	static Response send(HttpClient client, HttpRequest request) {
		try {
			HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body(), response.headers());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	static String basic(String username, String password) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	static String toJson(Object body) {
		return json.writeValueAsString(body);
	}

	static X509Certificate readCertificate(Path pem) {
		try (InputStream in = Files.newInputStream(pem)) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Cannot read " + pem, ex);
		}
	}

	static X509Certificate parseCertificate(String pem) {
		try (InputStream in = new java.io.ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))) {
			return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Not a PEM certificate", ex);
		}
	}

	/** A response with its body as text; {@link #json()} parses it. */
	public record Response(int status, String body, java.net.http.HttpHeaders headers) {

		public JsonNode json() {
			return TestServer.json.readTree(this.body);
		}

		/** The problem slug of an {@code application/problem+json} body. */
		public String problem() {
			String type = json().path("type").asString();
			return type.startsWith("urn:smp:problem:") ? type.substring("urn:smp:problem:".length()) : type;
		}

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

	}

}
