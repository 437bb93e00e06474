package org.statemigration.smp.client.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManager;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * HTTPS to one smp server: the trust of {@link ServerTrust}, the computer's certificate once it has one, JSON
 * calls, and the reading of the server's answers into exit codes. A failure to trust the server ends the command
 * at once (exit code 6); network errors and server errors that are not refusals are left to the caller to try
 * again.
 */
final class ServerConnection {

	static final JsonMapper json = JsonMapper.builder().build();

	private static final Duration CALL_TIMEOUT = Duration.ofMinutes(2);

	/** 5xx answers that are decisions of the server, not failures: trying again would not help. */
	private static final Set<String> SERVER_REFUSALS = Set.of("restore-only-mode", "insufficient-storage",
			"audit-unavailable");

	private final URI server;

	private final HttpClient http;

	private ServerConnection(URI server, HttpClient http) {
		this.server = server;
		this.http = http;
	}

	/** A connection without a client certificate, for enrollment. */
	static ServerConnection anonymous(URI server, ServerTrust trust) {
		return new ServerConnection(server, client(sslContext(null, trust)));
	}

	/** A connection that presents the computer's certificate (mutual TLS). */
	static ServerConnection of(Identity identity) {
		try {
			KeyStore keys = KeyStore.getInstance("PKCS12");
			keys.load(null, null);
			Certificate[] chain = (identity.ca() != null) ? new Certificate[] { identity.certificate(), identity.ca() }
					: new Certificate[] { identity.certificate() };
			keys.setKeyEntry("client", identity.key(), new char[0], chain);
			KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
			factory.init(keys, new char[0]);
			return new ServerConnection(identity.server(), client(sslContext(factory.getKeyManagers(), identity.trust())));
		}
		catch (GeneralSecurityException | IOException ex) {
			throw ClientFailure.failed("Cannot use the identity's key and certificate: " + ex.getMessage(), ex);
		}
	}

	URI resolve(String pathOrUrl) {
		return this.server.resolve(pathOrUrl);
	}

	/** POSTs a JSON body and reads the JSON answer; refusals end the command, other failures are thrown. */
	JsonNode post(String path, Object body, String token) throws IOException {
		HttpRequest.Builder request = HttpRequest.newBuilder(resolve(path))
			.timeout(CALL_TIMEOUT)
			.header("Content-Type", "application/json")
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
		return answer(send(bearer(request, token).build(), HttpResponse.BodyHandlers.ofString()));
	}

	/** GETs a JSON answer. */
	JsonNode get(String path) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(resolve(path))
			.timeout(CALL_TIMEOUT)
			.header("Accept", "application/json")
			.GET()
			.build();
		return answer(send(request, HttpResponse.BodyHandlers.ofString()));
	}

	static HttpRequest.Builder bearer(HttpRequest.Builder request, String token) {
		return (token != null) ? request.header("Authorization", "Bearer " + token) : request;
	}

	/**
	 * Sends the request.
	 * @throws ClientFailure (integrity) if the server is not the one trusted
	 * @throws IOException on a network failure, worth trying again
	 */
	<T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
		try {
			return this.http.send(request, handler);
		}
		catch (IOException ex) {
			throw classify(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw ClientFailure.failed("Interrupted", ex);
		}
	}

	private static IOException classify(IOException ex) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof ServerTrust.ServerNotTrustedException untrusted) {
				throw ClientFailure.integrity(untrusted.getMessage() + "; nothing was sent to it"
						+ ((untrusted.hint() != null) ? ". " + untrusted.hint() : ""));
			}
		}
		String message = String.valueOf(ex.getMessage());
		if (ex instanceof SSLHandshakeException && (message.contains("bad_certificate")
				|| message.contains("certificate_unknown") || message.contains("certificate_expired")
				|| message.contains("unknown_ca") || message.contains("certificate_revoked"))) {
			throw ClientFailure.refused("The server refused this computer's certificate in the TLS handshake ("
					+ message + "); enroll again");
		}
		return ex;
	}

	private static JsonNode answer(HttpResponse<String> response) throws IOException {
		if (response.statusCode() / 100 == 2) {
			try {
				return json.readTree(response.body());
			}
			catch (JacksonException ex) {
				throw new TransientFailure("The server's answer is not JSON (status " + response.statusCode() + ")");
			}
		}
		throw failure(response, response.body());
	}

	/**
	 * What an error answer means: a refusal ends the command (exit code 3, 4 or 6); anything else (a 5xx that is
	 * not a decision of the server, a gateway's error page) is returned to be tried again.
	 */
	static TransientFailure failure(HttpResponse<?> response, String body) {
		int status = response.statusCode();
		Problem problem = Problem.of(status, body);
		Optional<Duration> retryAfter = retryAfter(response);
		if (status >= 500 && retryAfter.isPresent() && !SERVER_REFUSALS.contains(problem.slug())) {
			return new ServerBusy("The server is busy: " + problem, retryAfter.get());
		}
		if (status == 404 && problem.slug().equals("no-association")) {
			throw ClientFailure.noAssociation("The server knows no association for this computer: " + problem);
		}
		if (problem.slug().equals("digest-mismatch")) {
			throw ClientFailure.integrity("The server found the data damaged on its way: " + problem);
		}
		if (status >= 500 && !SERVER_REFUSALS.contains(problem.slug())) {
			return new TransientFailure("The server failed: " + problem);
		}
		throw ClientFailure.refused("The server refused: " + problem, problem.slug());
	}

	/** The answer's Retry-After in seconds (the server sends no dates), if it has a usable one. */
	private static Optional<Duration> retryAfter(HttpResponse<?> response) {
		Optional<String> value = response.headers().firstValue("Retry-After");
		if (value.isEmpty() || !value.get().strip().matches("[0-9]{1,6}")) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofSeconds(Long.parseLong(value.get().strip())));
	}

	private static SSLContext sslContext(KeyManager[] keyManagers, ServerTrust trust) {
		try {
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(keyManagers, new TrustManager[] { trust }, null);
			return context;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Cannot set up TLS", ex);
		}
	}

	private static HttpClient client(SSLContext context) {
		return HttpClient.newBuilder()
			.sslContext(context)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(30))
			.build();
	}

	/** An RFC 9457 problem as far as the body gives it; never holds a secret (the server puts none in). */
	record Problem(int status, String slug, String detail) {

		static Problem of(int status, String body) {
			try {
				JsonNode node = json.readTree(body);
				String type = node.path("type").asString("");
				String slug = type.startsWith("urn:smp:problem:") ? type.substring("urn:smp:problem:".length()) : "";
				String detail = node.path("detail").asString(node.path("title").asString(""));
				return new Problem(status, slug, detail);
			}
			catch (RuntimeException ex) {
				return new Problem(status, "", "");
			}
		}

		@Override
		public String toString() {
			String text = this.detail.isBlank() ? "HTTP " + this.status : this.detail;
			return text + " (" + this.status + (this.slug.isEmpty() ? "" : " " + this.slug) + ")";
		}

	}

}
