package org.statemigration.smp.config;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.backup.LocalChannel;
import org.statemigration.smp.problem.ProblemType;

import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates a request of the local channel by its secret alone ({@code Authorization: Bearer <secret>}, compared
 * in constant time): no operator's credentials, session or client certificate counts. A request that did not come
 * from this machine (its peer neither a loopback address nor the address it arrived on, as through a load
 * balancer) is refused before the secret is looked at; one with a wrong secret is refused and recorded in the
 * audit log. A request without a secret goes on unauthenticated, and authorization refuses it.
 */
class LocalChannelAuthenticationFilter extends OncePerRequestFilter {

	static final String PRINCIPAL = "local backup command";

	private static final String BEARER = "Bearer ";

	private static final Log logger = LogFactory.getLog(LocalChannelAuthenticationFilter.class);

	private final LocalChannel channel;

	private final AuditLog audit;

	LocalChannelAuthenticationFilter(LocalChannel channel, AuditLog audit) {
		this.channel = channel;
		this.audit = audit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!fromThisMachine(request)) {
			record(request, "not from this machine");
			Problems.write(response, ProblemType.FORBIDDEN, "The local channel answers requests from this machine only");
			return;
		}
		String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
			if (!this.channel.authenticates(authorization.substring(BEARER.length()).strip())) {
				record(request, "wrong secret");
				Problems.write(response, ProblemType.UNAUTHORIZED, "The local channel's secret is wrong");
				return;
			}
			SecurityContext context = SecurityContextHolder.createEmptyContext();
			context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(PRINCIPAL, null,
					List.of(new SimpleGrantedAuthority(LocalChannel.AUTHORITY))));
			SecurityContextHolder.setContext(context);
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			SecurityContextHolder.clearContext();
		}
	}

	/** A loopback peer, or a peer with the very address the connection arrived on (this machine's own). */
	static boolean fromThisMachine(HttpServletRequest request) {
		try {
			InetAddress remote = InetAddress.getByName(request.getRemoteAddr());
			InetAddress local = InetAddress.getByName(request.getLocalAddr());
			return remote.isLoopbackAddress() || remote.equals(local);
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private void record(HttpServletRequest request, String reason) {
		try {
			this.audit.recordAlone(null, "access.denied", request.getMethod() + " " + request.getRequestURI(),
					AuditOutcome.DENIED, "local channel: " + reason + " (from " + request.getRemoteAddr() + ")");
		}
		catch (RuntimeException notRecorded) {
			logger.warn("Could not record a refused request of the local channel in the audit log", notRecorded);
		}
	}

}
