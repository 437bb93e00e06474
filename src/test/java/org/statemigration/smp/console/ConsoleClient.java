package org.statemigration.smp.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
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

import org.statemigration.smp.admin.ProviderSignIn;
import org.statemigration.smp.support.TestServer;
import org.statemigration.testprovider.TestOpenIdProvider;

import org.springframework.web.util.HtmlUtils;

/**
 * The console as a browser without script sees it, over real TLS: a cookie jar for the session, HTML forms posted
 * with the CSRF token of the page they are on, and redirects returned rather than followed so tests see them.
 */
public final class ConsoleClient {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	private static final Pattern REFRESH = Pattern.compile("<meta http-equiv=\"refresh\" content=\"0;url=([^\"]+)\">");

	private final TestServer server;

	private final HttpClient http;

	private String username;

	public ConsoleClient(TestServer server) {
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

	/**
	 * Signs in with the OpenID provider over HTTP, as {@link #signInWithProvider} does, and checks that the console
	 * let the operator in.
	 */
	public static ConsoleClient signedInWithProvider(TestServer server, TestOpenIdProvider provider, String user) {
		ConsoleClient client = new ConsoleClient(server);
		Page answer = client.signInWithProvider(provider, user);
		if (answer.status() != 302 || !"/console".equals(answer.location())) {
			throw new IllegalStateException("Sign-in of " + user + " with the provider failed: " + answer.status() + " "
					+ answer.location());
		}
		client.username = ProviderSignIn.NAME_PREFIX + user;
		return client;
	}

	/**
	 * Signs in with the OpenID provider as a browser does, over HTTP: the console's start of the sign-in, which
	 * sends the browser to the provider; the provider's sign-in form ({@link TestOpenIdProvider#signIn}); the
	 * provider's redirect back, which the console answers with a page that loads the same address again from its own
	 * page (for the {@code SameSite=Strict} session cookie, see {@code ProviderSignInFilter}); and that second
	 * request, whose answer this is: to the console, or back to the sign-in page.
	 */
	public Page signInWithProvider(TestOpenIdProvider provider, String user) {
		Page start = get("/oauth2/authorization/" + ProviderSignIn.REGISTRATION_ID);
		String toProvider = start.header("Location");
		if (start.status() != 302 || toProvider == null || !toProvider.startsWith(provider.issuer() + "/")) {
			throw new IllegalStateException("The console did not send the browser to the provider: " + start.status()
					+ " " + toProvider);
		}
		URI back = provider.signIn(URI.create(toProvider), user);
		if (!back.getHost().equals(this.server.uri("/").getHost()) || back.getPort() != this.server.port()) {
			throw new IllegalStateException("The provider did not send the browser back to the console: " + back);
		}
		Page reload = get(back.getRawPath() + "?" + back.getRawQuery());
		Matcher again = REFRESH.matcher(reload.body());
		if (reload.status() != 200 || !again.find()) {
			throw new IllegalStateException("The console's return from the provider is not the reload page: "
					+ reload.status() + " " + reload.body());
		}
		return get(HtmlUtils.htmlUnescape(again.group(1)));
	}

	/** Who signed in through {@link #signedIn} or {@link #signedInWithProvider}. */
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

		public String header(String name) {
			return this.headers.firstValue(name).orElse(null);
		}

		/** Where a redirect points, as a path (the server answers relative locations). */
		public String location() {
			String location = header("Location");
			if (location == null) {
				return null;
			}
			return location.replaceFirst("^https://[^/]+", "");
		}

	}

}
