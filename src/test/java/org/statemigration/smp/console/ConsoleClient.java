package org.statemigration.smp.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.statemigration.smp.support.TestServer;

/**
 * The console as a browser without script sees it, over real TLS: a cookie jar for the session, HTML forms posted
 * with the CSRF token of the page they are on, and redirects returned rather than followed so tests see them.
 */
public final class ConsoleClient {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private final TestServer server;

	private final HttpClient http;

	private String username;

	ConsoleClient(TestServer server) {
		this.server = server;
		this.http = HttpClient.newBuilder()
			.sslContext(trusting(server))
			.cookieHandler(new CookieManager())
			.followRedirects(HttpClient.Redirect.NEVER)
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(10))
			.build();
	}

	/** Signs in through the form and checks that the console let the operator in. */
	public static ConsoleClient signedIn(TestServer server, String username, String password) {
		ConsoleClient client = new ConsoleClient(server);
		Page answer = client.signIn(username, password);
		if (answer.status() != 302 || !answer.location().endsWith("/console")) {
			throw new IllegalStateException("Sign-in of " + username + " failed: " + answer.status() + " "
					+ answer.location());
		}
		client.username = username;
		return client;
	}

	/** Who signed in through {@link #signedIn}. */
	String username() {
		return this.username;
	}

	Page signIn(String username, String password) {
		return submit("/login", "/login", Map.of("username", username, "password", password));
	}

	public Page get(String path) {
		return send(HttpRequest.newBuilder(this.server.uri(path)).GET());
	}

	/** Posts a form with the CSRF token of the page at {@code formPage}, as a browser submits a form of it. */
	public Page submit(String formPage, String action, Map<String, String> fields) {
		Page page = get(formPage);
		Matcher token = CSRF.matcher(page.body());
		if (!token.find()) {
			throw new IllegalStateException(formPage + " has no form with a CSRF token: " + page.status());
		}
		Map<String, String> withToken = new LinkedHashMap<>(fields);
		withToken.put("_csrf", token.group(1));
		return postWithoutToken(action, withToken);
	}

	/** Posts a form from a signed-in page (the dashboard's sign-out form carries the session's token). */
	Page post(String action, Map<String, String> fields) {
		return submit("/console", action, fields);
	}

	/** Posts exactly the given fields: what a forged cross-site form would send. */
	Page postWithoutToken(String action, Map<String, String> fields) {
		String body = fields.entrySet()
			.stream()
			.map((e) -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
		return send(HttpRequest.newBuilder(this.server.uri(action))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
	}

	private Page send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.header("Accept", "text/html").build(),
					HttpResponse.BodyHandlers.ofString());
			return new Page(response.statusCode(), response.body(), response.headers());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static SSLContext trusting(TestServer server) {
		try {
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("ca", server.ca());
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

	/** A console answer. */
	public record Page(int status, String body, HttpHeaders headers) {

		String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		/** Where a redirect points, as a path (the server answers relative locations). */
		String location() {
			String location = header("Location");
			if (location == null) {
				return null;
			}
			return location.replaceFirst("^https://[^/]+", "");
		}

	}

}
