package org.statemigration.smp.managementpoint.web;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts {@code Tus-Resumable: 1.0.0} on every answer under {@code /api/v1/uploads}, as tus requires, refusals of
 * the security filters included: so it runs before them. It also honours {@code X-HTTP-Method-Override}, which tus
 * prescribes for clients that cannot send {@code PATCH} or {@code DELETE} (Java's {@code HttpURLConnection}
 * among them): a {@code POST} with that header is handled, security checks included, as the method it names.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TusResumableHeaderFilter extends OncePerRequestFilter {

	private static final Set<String> OVERRIDABLE = Set.of("PATCH", "DELETE", "HEAD");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI();
		return !(path.equals("/api/v1/uploads") || path.startsWith("/api/v1/uploads/"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader(TusHeaders.TUS_RESUMABLE, TusHeaders.VERSION);
		if (request.getHeader(TusHeaders.TUS_RESUMABLE) != null
				&& !TusHeaders.VERSION.equals(request.getHeader(TusHeaders.TUS_RESUMABLE).strip())) {
			response.setHeader(TusHeaders.TUS_VERSION, TusHeaders.VERSION);
		}
		String override = request.getHeader("X-HTTP-Method-Override");
		if ("POST".equals(request.getMethod()) && override != null
				&& OVERRIDABLE.contains(override.strip().toUpperCase(Locale.ROOT))) {
			String method = override.strip().toUpperCase(Locale.ROOT);
			chain.doFilter(new HttpServletRequestWrapper(request) {
				@Override
				public String getMethod() {
					return method;
				}
			}, response);
			return;
		}
		chain.doFilter(request, response);
	}

}
