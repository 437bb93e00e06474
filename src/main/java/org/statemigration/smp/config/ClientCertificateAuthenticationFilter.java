package org.statemigration.smp.config;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.statemigration.smp.managementpoint.ClientCertificates;
import org.statemigration.smp.managementpoint.EnrolledComputer;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a computer by the client certificate of its TLS connection. A certificate this server did not
 * issue, or one that is blocked or expired, is refused here with a problem answer; a request without one goes on
 * unauthenticated (enrollment needs none; everything else is then refused by authorization).
 */
class ClientCertificateAuthenticationFilter extends OncePerRequestFilter {

	static final String COMPUTER_ROLE = "ROLE_COMPUTER";

	private static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private final ClientCertificates certificates;

	ClientCertificateAuthenticationFilter(ClientCertificates certificates) {
		this.certificates = certificates;
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
				Problems.write(response, ex.slug(), ex.status(), ex.title(), ex.getMessage());
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
