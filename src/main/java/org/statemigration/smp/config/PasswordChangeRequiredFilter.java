package org.statemigration.smp.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.problem.ProblemType;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An operator whose password was reset may change it and nothing else: every other request is answered here,
 * before any rule of the chain is looked at (the account has no role anyway). On the API with 403
 * {@code password-change-required}; on the console by sending the browser to the password page.
 */
final class PasswordChangeRequiredFilter extends OncePerRequestFilter {

	static final String DETAIL = "Your password was reset: change it (POST /api/v1/me/password) before anything else";

	private final RequestMatcher allowed;

	private final String redirect;

	/**
	 * @param allowed what such an operator may still ask for
	 * @param redirect where the console sends them, or null to answer the API's problem
	 */
	PasswordChangeRequiredFilter(RequestMatcher allowed, String redirect) {
		this.allowed = allowed;
		this.redirect = redirect;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!mustChangePassword(SecurityContextHolder.getContext().getAuthentication())
				|| this.allowed.matches(request)) {
			chain.doFilter(request, response);
			return;
		}
		if (this.redirect != null) {
			response.sendRedirect(request.getContextPath() + this.redirect);
			return;
		}
		Problems.write(response, ProblemType.PASSWORD_CHANGE_REQUIRED, DETAIL);
	}

	static boolean mustChangePassword(Authentication authentication) {
		return authentication != null && authentication.getAuthorities()
			.stream()
			.anyMatch((authority) -> OperatorAccounts.PASSWORD_CHANGE_AUTHORITY.equals(authority.getAuthority()));
	}

}
