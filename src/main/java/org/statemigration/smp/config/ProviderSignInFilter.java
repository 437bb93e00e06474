package org.statemigration.smp.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.admin.ProviderSignIn;

import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.HtmlUtils;

/**
 * The two steps of the console's sign-in with the OpenID provider that Spring Security does not take itself.
 * <p>
 * The start ({@code /oauth2/authorization/oidc}): while the provider's configuration cannot be read, back to the
 * sign-in page with a message (local accounts still sign in there), instead of an error page.
 * <p>
 * The return ({@code /login/oauth2/code/oidc}): the console's session cookie is {@code SameSite=Strict}, so the
 * browser leaves it out of the provider's redirect back (a navigation that another site started), and the session
 * that holds the sign-in's state and PKCE verifier would not be found. The return is answered with a page that
 * reloads the same address at once, now from smp's own page, with the cookie; Spring Security then completes the
 * sign-in on that second request. The page carries nothing that the address did not.
 */
final class ProviderSignInFilter extends OncePerRequestFilter {

	static final String START = "/oauth2/authorization/" + ProviderSignIn.REGISTRATION_ID;

	static final String RETURN = "/login/oauth2/code/" + ProviderSignIn.REGISTRATION_ID;

	/** The parameter that marks the return's second request. */
	static final String SAME_SITE = "same-site";

	private static final RequestMatcher START_MATCHER = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.GET, START);

	private static final RequestMatcher RETURN_MATCHER = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.GET, RETURN);

	private final ProviderSignIn provider;

	ProviderSignInFilter(ProviderSignIn provider) {
		this.provider = provider;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (START_MATCHER.matches(request) && !this.provider.reachable()) {
			response.sendRedirect(request.getContextPath() + "/login?providerUnavailable");
			return;
		}
		if (RETURN_MATCHER.matches(request) && request.getParameter(SAME_SITE) == null) {
			String query = request.getQueryString();
			String again = request.getRequestURI() + "?" + ((query != null) ? query + "&" : "") + SAME_SITE;
			navigate(response, again, "Signing in", "Continue signing in");
			return;
		}
		chain.doFilter(request, response);
	}

	/**
	 * Answers a page that at once loads {@code target} in the browser ({@code <meta http-equiv="refresh">}, no
	 * script): a navigation that smp's own page starts, unlike a redirect, which the browser treats as part of the
	 * request that it answers.
	 */
	static void navigate(HttpServletResponse response, String target, String title, String linkText)
			throws IOException {
		response.setStatus(HttpServletResponse.SC_OK);
		response.setContentType("text/html;charset=UTF-8");
		response.setHeader("Cache-Control", "no-store");
		String escaped = HtmlUtils.htmlEscape(target);
		response.getOutputStream()
			.write(("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
					+ "<meta http-equiv=\"refresh\" content=\"0;url=" + escaped + "\"><title>" + title + "</title>"
					+ "</head><body><p><a href=\"" + escaped + "\">" + linkText + "</a></p></body></html>")
				.getBytes(StandardCharsets.UTF_8));
	}

}
