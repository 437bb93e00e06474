package org.statemigration.smp.config;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.statemigration.smp.pki.ClientCertificates;
import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a computer by the client certificate of its TLS connection. A certificate this server did not
 * issue, or one that is blocked or expired, is refused here with a problem answer; a request without one goes on
 * unauthenticated (everything but enrollment is then refused by authorization). Enrollment itself ignores the
 * client certificate entirely: it is authenticated by its one-time code alone, so a computer whose old certificate
 * was blocked (or expired, or issued by another server) can enroll again with a new code even when its TLS stack
 * still offers the old certificate.
 */
class ClientCertificateAuthenticationFilter extends OncePerRequestFilter {

	static final String COMPUTER_ROLE = "ROLE_COMPUTER";

	private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private final ClientCertificates certificates;

	private final RequestMatcher ignored;

	/**
	 * @param ignored the requests on which no client certificate is looked at
	 */
	ClientCertificateAuthenticationFilter(ClientCertificates certificates, RequestMatcher ignored) {
		this.certificates = certificates;
		this.ignored = ignored;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return this.ignored.matches(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getAttribute(CERTIFICATE_ATTRIBUTE) instanceof X509Certificate[] chainOfCertificates
				&& chainOfCertificates.length > 0) {
			try {
				EnrolledComputer computer = this.certificates.authenticate(chainOfCertificates[0]);
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(computer, null,
						List.of(new SimpleGrantedAuthority(COMPUTER_ROLE))));
				SecurityContextHolder.setContext(context);
			}
			catch (ProblemException ex) {
				Problems.write(response, ex.type(), ex.getMessage());
				return;
			}
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

}
