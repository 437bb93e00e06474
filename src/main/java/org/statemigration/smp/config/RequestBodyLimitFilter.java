package org.statemigration.smp.config;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.statemigration.smp.problem.ProblemType;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of every request that is not a state store upload (the JSON endpoints, the anonymous enrollment
 * among them, and anything else a caller may send a body to). A declared {@code Content-Length} above the limit is
 * refused with 413 before a byte is read and before {@code 100 Continue}; a chunked body is counted while it is
 * read and stops at the limit. Runs before every other filter, authentication included. Uploads are bounded by
 * the quota instead, and streamed.
 */
class RequestBodyLimitFilter extends OncePerRequestFilter {

	private final long jsonLimit;

	private final long importLimit;

	/**
	 * @param jsonLimit the bound of every body but an upload's and a bulk import's
	 * @param importLimit the bound of a bulk import file
	 */
	RequestBodyLimitFilter(long jsonLimit, long importLimit) {
		this.jsonLimit = jsonLimit;
		this.importLimit = importLimit;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return ApiPaths.isUpload(ApiPaths.of(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long limit = ApiPaths.isImport(ApiPaths.of(request)) ? this.importLimit : this.jsonLimit;
		if (request.getContentLengthLong() > limit) {
			// Tomcat closes the connection after a 413 instead of reading the rest of the body
			Problems.write(response, ProblemType.REQUEST_TOO_LARGE, "The body is larger than " + limit + " bytes");
			return;
		}
		chain.doFilter(new Bounded(request, limit), response);
	}

	/** The request with its body counted as it is read, as bytes or as characters. */
	private static final class Bounded extends HttpServletRequestWrapper {

		private final long limit;

		private ServletInputStream stream;

		Bounded(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new LimitedServletInputStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

		@Override
		public BufferedReader getReader() throws IOException {
			String encoding = getCharacterEncoding();
			Charset charset = (encoding != null && Charset.isSupported(encoding)) ? Charset.forName(encoding)
					: StandardCharsets.UTF_8;
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

}
