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

	private final long limit;

	RequestBodyLimitFilter(long limit) {
		this.limit = limit;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return ApiPaths.isUpload(ApiPaths.of(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			// Tomcat closes the connection after a 413 instead of reading the rest of the body
			Problems.write(response, ProblemType.REQUEST_TOO_LARGE, tooLarge());
			return;
		}
		chain.doFilter(new Bounded(request, this.limit), response);
	}

	private String tooLarge() {
		return "The body is larger than " + this.limit + " bytes";
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
