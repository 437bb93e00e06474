package org.statemigration.smp.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.problem.RetryLaterException;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 503 {@code database-unavailable} (with Retry-After) for a request that failed because the database is
 * unavailable anywhere outside the controllers, where the problem-details advice does not reach: in the security
 * filters (certificate checks, operator sign-in, audit of sign-ins). Without it such a failure would reach the
 * container and come back as a 500 with the container's own body.
 */
class DatabaseUnavailableFilter extends OncePerRequestFilter {

	private static final Log logger = LogFactory.getLog(DatabaseUnavailableFilter.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		try {
			chain.doFilter(request, response);
		}
		catch (RetryLaterException ex) {
			// e.g. too many passwords being checked at once, while authenticating: before any advice runs
			if (response.isCommitted()) {
				throw ex;
			}
			response.resetBuffer();
			response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()));
			Problems.write(response, ex.type(), ex.getMessage());
		}
		catch (ServletException | RuntimeException ex) {
			if (!DatabaseFailures.isUnavailable(ex) || response.isCommitted()) {
				throw ex;
			}
			logger.warn("Database unavailable: " + request.getMethod() + " " + request.getRequestURI()
					+ " answered 503 (" + rootMessage(ex) + ")");
			response.resetBuffer();
			DatabaseFailures.write(response);
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		return root.getClass().getSimpleName() + ": " + root.getMessage();
	}

}
