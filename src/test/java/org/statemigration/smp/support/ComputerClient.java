package org.statemigration.smp.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Map;
import java.util.function.Supplier;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import tools.jackson.databind.JsonNode;

import org.statemigration.smp.support.TestServer.Response;

/**
 * A computer as the management point sees it: its own key pair (made here, never sent), a CSR, the certificate it
 * enrolls for, and mutual-TLS calls to the client API with it.
 */
public final class ComputerClient {

	private final TestServer server;

	private final String name;

	private KeyPair keyPair;

	private X509Certificate certificate;

	private HttpClient http;

	ComputerClient(TestServer server, String name) {
		this.server = server;
		this.name = name;
		this.keyPair = newKeyPair();
		this.http = TestServer.httpClient(server.trustingContext());
	}

	/** An address on the server this computer talks to. */
	public java.net.URI uri(String path) {
		return this.server.uri(path);
	}

	public String name() {
		return this.name;
	}

	public X509Certificate certificate() {
		return this.certificate;
	}

	/** A TLS context that presents this computer's certificate, for HTTP clients other than the JDK's. */
	public SSLContext sslContext() {
		return clientContext(this.keyPair, this.certificate);
	}

	public String serial() {
		return this.certificate.getSerialNumber().toString(16);
	}

	/** Enrolls with the code; afterwards every call presents the issued certificate. */
	public Response enroll(String code) {
		return enroll(code, Map.of());
	}

	/**
	 * Enrolls with the code, presenting what else the request gives of the computer ({@code computerName},
	 * {@code smbiosGuid}, {@code macAddresses}); afterwards every call presents the issued certificate.
	 */
	public Response enroll(String code, Map<String, Object> presented) {
		Map<String, Object> body = new java.util.LinkedHashMap<>(presented);
		body.put("code", code);
		body.put("csr", csr(this.keyPair));
		Response response = post("/api/v1/enrollment", body, null);
		if (response.status() == 201) {
			useCertificate(TestServer.parseCertificate(response.json().path("certificate").asString()));
		}
		return response;
	}

	/**
	 * Renews the certificate with a CSR for a new key pair, over mutual TLS with the current certificate;
	 * afterwards every call presents the new one.
	 */
	public Response renew() {
		KeyPair next = newKeyPair();
		Response response = post("/api/v1/enrollment/renewal", Map.of("csr", csr(next)), null);
		if (response.status() == 201) {
			this.keyPair = next;
			useCertificate(TestServer.parseCertificate(response.json().path("certificate").asString()));
		}
		return response;
	}

	/**
	 * The same computer (key pair and certificate) calling another server that shares this one's database and
	 * client CA: another node of a cluster, or the load balancer in front of them.
	 */
	public ComputerClient at(TestServer other) {
		ComputerClient same = new ComputerClient(other, this.name);
		same.keyPair = this.keyPair;
		if (this.certificate != null) {
			same.useCertificate(this.certificate);
		}
		return same;
	}

	/** Presents another computer's certificate (without its key, the handshake would fail; so take both). */
	public void impersonate(ComputerClient other) {
		this.keyPair = other.keyPair;
		useCertificate(other.certificate);
	}

	private void useCertificate(X509Certificate certificate) {
		this.certificate = certificate;
		this.http = TestServer.httpClient(clientContext(this.keyPair, certificate));
	}

	public Grant request(String operation) {
		Response response = requestStateStore(operation);
		if (response.status() != 200) {
			throw new IllegalStateException("request-state-store failed: " + response);
		}
		return new Grant(response.json());
	}

	public Response requestStateStore(String operation) {
		return post("/api/v1/mp/request-state-store", Map.of("operation", operation), null);
	}

	public Response release(String token, boolean success) {
		return post("/api/v1/mp/release-state-store", Map.of("success", success), token);
	}

	public Response upload(String url, String token, byte[] body, String reprDigest) {
		HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(url))
			.PUT(HttpRequest.BodyPublishers.ofByteArray(body));
		return send(authorize(request, token, reprDigest));
	}

	/** Uploads a stream of known length (sent with Content-Length) or unknown length (-1: chunked). */
	public Response upload(String url, String token, Supplier<InputStream> body, long length, String reprDigest) {
		HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.ofInputStream(body);
		if (length >= 0) {
			publisher = HttpRequest.BodyPublishers.fromPublisher(publisher, length);
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(url)).PUT(publisher);
		return send(authorize(request, token, reprDigest));
	}

	public HttpResponse<byte[]> download(String url, String token, String range) {
		HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(url)).GET();
		if (range != null) {
			request.header("Range", range);
		}
		return exchange(authorize(request, token, null), HttpResponse.BodyHandlers.ofByteArray());
	}

	/** Downloads to a stream handler, e.g. one that hashes without keeping the bytes. */
	public <T> HttpResponse<T> downloadTo(String url, String token, HttpResponse.BodyHandler<T> handler) {
		return exchange(authorize(HttpRequest.newBuilder(java.net.URI.create(url)).GET(), token, null), handler);
	}

	/** Downloads a range ({@code bytes=N-}; null for all) to a stream handler. */
	public <T> HttpResponse<T> downloadTo(String url, String token, String range, HttpResponse.BodyHandler<T> handler) {
		HttpRequest.Builder request = HttpRequest.newBuilder(java.net.URI.create(url)).GET();
		if (range != null) {
			request.header("Range", range);
		}
		return exchange(authorize(request, token, null), handler);
	}

	public Response head(String url, String token) {
		return send(authorize(HttpRequest.newBuilder(java.net.URI.create(url))
			.method("HEAD", HttpRequest.BodyPublishers.noBody()), token, null));
	}

	public Response post(String path, Object body, String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(this.server.uri(path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString((body instanceof String s) ? s : TestServer.toJson(body)));
		return send(authorize(request, token, null));
	}

	private static HttpRequest.Builder authorize(HttpRequest.Builder request, String token, String reprDigest) {
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		if (reprDigest != null) {
			request.header("Repr-Digest", reprDigest);
		}
		return request;
	}

	private Response send(HttpRequest.Builder request) {
		return TestServer.send(this.http, request.build());
	}

	/**
	 * Sends only a request head on a raw TLS connection with this computer's certificate and reads the answer,
	 * without sending any body: what a client that waits for {@code 100 Continue} sees. (The JDK 17 HTTP client
	 * waits forever when the answer to {@code Expect: 100-continue} is a final status.)
	 */
	public String sendHeadOnly(String method, String url, Map<String, String> headers) {
		java.net.URI uri = java.net.URI.create(url);
		try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) clientContext(this.keyPair, this.certificate)
			.getSocketFactory()
			.createSocket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(10_000);
			StringBuilder head = new StringBuilder(method + " " + uri.getRawPath() + " HTTP/1.1\r\nHost: "
					+ uri.getHost() + ":" + uri.getPort() + "\r\n");
			headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
			socket.getOutputStream().write(head.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (java.net.SocketTimeoutException ex) {
			throw new IllegalStateException("No final answer within 10 s", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Uploads as curl does with large files: sends the head with {@code Expect: 100-continue} on a raw TLS
	 * connection, sends the body only after {@code 100 Continue}, and returns the final answer (status line,
	 * headers and body) as text.
	 */
	public String uploadExpectingContinue(String url, String token, long length, InputStream body) {
		java.net.URI uri = java.net.URI.create(url);
		try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket) clientContext(this.keyPair, this.certificate)
			.getSocketFactory()
			.createSocket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(60_000);
			var out = socket.getOutputStream();
			var in = new java.io.BufferedInputStream(socket.getInputStream());
			String head = "PUT " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
					+ "\r\nAuthorization: Bearer " + token + "\r\nContent-Length: " + length
					+ "\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n";
			out.write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			out.flush();
			String status = readLine(in);
			if (status.startsWith("HTTP/1.1 100")) {
				while (!readLine(in).isEmpty()) {
					// the rest of the interim answer
				}
				body.transferTo(out);
				out.flush();
				status = readLine(in);
			}
			return status + "\r\n" + new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	/** Sends a request built by the test, with this computer's certificate. */
	public HttpResponse<String> exchange(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
		try {
			return this.http.send(request.build(), handler);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private SSLContext clientContext(KeyPair keyPair, X509Certificate certificate) {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			keys.setKeyEntry("client", keyPair.getPrivate(), new char[0],
					new Certificate[] { certificate, this.server.ca() });
			KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			keyManagers.init(keys, new char[0]);
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("ca", this.server.ca());
			TrustManagerFactory trustManagers = TrustManagerFactory
				.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trustManagers.init(trust);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
			return context;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static KeyPair newKeyPair() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A PEM CSR for the key pair, signed with it. */
	public static String csr(KeyPair keyPair) {
		try {
			PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=ignored"),
					keyPair.getPublic())
				.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate()));
			StringWriter out = new StringWriter();
			try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
				writer.writeObject(request);
			}
			return out.toString();
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The answer of request-state-store. */
	public record Grant(String associationId, String token, String storeUrl, String encryptionKey, JsonNode json) {

		Grant(JsonNode json) {
			this(json.path("associationId").asString(), json.path("token").asString(), json.path("storeUrl").asString(),
					json.path("encryptionKey").asString(), json);
		}

	}

}
