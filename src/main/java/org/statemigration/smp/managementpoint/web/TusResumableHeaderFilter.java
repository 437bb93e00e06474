package org.statemigration.smp.managementpoint.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Puts {@code Tus-Resumable: 1.0.0} on every answer under {@code /api/v1/uploads}, as tus requires, refusals of
 * the security filters included: so it runs before them.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TusResumableHeaderFilter extends OncePerRequestFilter {

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
		chain.doFilter(request, response);
	}

}
