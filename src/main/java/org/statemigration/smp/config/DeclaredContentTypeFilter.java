package org.statemigration.smp.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.statemigration.smp.problem.ProblemType;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A body's {@code Content-Type} must name one type: a wildcard ({@code *}/{@code *}, {@code application/*}) or an
 * unparsable value is refused with 415 here, before the framework trips over it (it cannot represent such a
 * request's headers and would fail with an internal error). Uploads are left alone: they accept any type.
 */
class DeclaredContentTypeFilter extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return request.getHeader("Content-Type") == null || ApiPaths.isUpload(ApiPaths.of(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!namesOneType(request.getHeader("Content-Type"))) {
			Problems.write(response, ProblemType.UNSUPPORTED_MEDIA_TYPE,
					"The Content-Type must name a single media type");
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean namesOneType(String contentType) {
		try {
			MediaType type = MediaType.parseMediaType(contentType);
			return !type.isWildcardType() && !type.isWildcardSubtype();
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

}
