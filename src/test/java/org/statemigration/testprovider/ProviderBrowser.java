package org.statemigration.testprovider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A browser without script at the provider: a cookie jar of its own (the provider's session, apart from any other
 * server's on the same host), redirects followed by hand as long as they stay at the provider, and the provider's
 * sign-in form posted with its CSRF token. One for each sign-in, so that each signs in afresh.
 */
final class ProviderBrowser {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"");

	private static final int MAX_STEPS = 10;

	private final URI issuer;

	private final HttpClient http = HttpClient.newBuilder()
		.cookieHandler(new CookieManager())
		.followRedirects(HttpClient.Redirect.NEVER)
		.connectTimeout(Duration.ofSeconds(10))
		.build();

	ProviderBrowser(URI issuer) {
		this.issuer = issuer;
	}

	/**
	 * Follows an authorization request through the provider's sign-in form.
	 * @return the first address outside the provider that it sends the browser to: the client's redirect URI
	 */
	URI signIn(URI authorizationRequest, String username, String password) {
		URI at = authorizationRequest;
		HttpResponse<String> response = get(at);
		boolean formPosted = false;
		for (int step = 0; step < MAX_STEPS; step++) {
			if (response.statusCode() == 200) {
				Matcher token = CSRF.matcher(response.body());
				if (formPosted || !token.find()) {
					throw new IllegalStateException("The provider did not sign " + username + " in: " + at
							+ " answered " + response.body());
				}
				at = at.resolve("/login");
				response = post(at, "username=" + encode(username) + "&password=" + encode(password) + "&_csrf="
						+ encode(token.group(1)));
				formPosted = true;
				continue;
			}
			String location = response.headers().firstValue("Location").orElse(null);
			if (response.statusCode() / 100 != 3 || location == null) {
				throw new IllegalStateException(at + " answered " + response.statusCode() + ": " + response.body());
			}
			URI next = at.resolve(location);
			if (!next.getScheme().equals(this.issuer.getScheme()) || !next.getHost().equals(this.issuer.getHost())
					|| next.getPort() != this.issuer.getPort()) {
				return next;
			}
			at = next;
			response = get(at);
		}
		throw new IllegalStateException("The provider did not send " + username + " back within " + MAX_STEPS
				+ " steps, last at " + at);
	}

	/** The parameters of an address's query, decoded. */
	static Map<String, String> query(URI uri) {
		Map<String, String> parameters = new LinkedHashMap<>();
		String query = uri.getRawQuery();
		if (query == null) {
			return parameters;
		}
		for (String parameter : query.split("&")) {
			int equals = parameter.indexOf('=');
			String name = (equals < 0) ? parameter : parameter.substring(0, equals);
			String value = (equals < 0) ? "" : parameter.substring(equals + 1);
			parameters.put(URLDecoder.decode(name, StandardCharsets.UTF_8),
					URLDecoder.decode(value, StandardCharsets.UTF_8));
		}
		return parameters;
	}

	private HttpResponse<String> get(URI uri) {
		return send(HttpRequest.newBuilder(uri).GET());
	}

	private HttpResponse<String> post(URI uri, String form) {
		return send(HttpRequest.newBuilder(uri)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form)));
	}

	private HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return this.http.send(request.header("Accept", "text/html").timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.ofString());
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

}
