package org.statemigration.smp.config;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.statemigration.smp.config.AnonymousRequests.Admission;
import org.statemigration.smp.problem.ProblemType;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The first thing every request meets, before security and before any byte of its body is read. A request
 * without credentials waits for nothing: over the limits of such requests per address or in all it is refused at
 * once ({@code 429 rate-limited} or {@code 503 server-busy}, with Retry-After). Every body is read through a
 * {@link GuardedBody}: a state store transfer must keep up a minimum rate, any other body must arrive within a
 * deadline, so that no client holds a thread for longer than those allow.
 */
class RequestLimitsFilter extends OncePerRequestFilter {

	static final String CERTIFICATE_ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private static final String RETRY_AFTER_SECONDS = "5";

	private final HttpLimitsProperties limits;

	private final AnonymousRequests anonymous;

	RequestLimitsFilter(HttpLimitsProperties limits) {
		this.limits = limits;
		this.anonymous = new AnonymousRequests(limits.maxAnonymousPerAddress(), limits.maxAnonymous());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long start = System.nanoTime();
		String address = isAnonymous(request) ? request.getRemoteAddr() : null;
		if (address != null) {
			Admission admission = this.anonymous.admit(address);
			if (admission != Admission.ADMITTED) {
				// its body is not read, and not waited for either: the connection closes after the answer
				AbandonedBodyValve.abandon(request);
				refuse(response, admission);
				return;
			}
		}
		try {
			chain.doFilter(new GuardedRequest(request, start), response);
		}
		finally {
			if (address != null) {
				this.anonymous.release(address);
			}
		}
	}

	/** Requests without credentials running now. */
	int anonymousRunning() {
		return this.anonymous.running();
	}

	/**
	 * Whether the request has a body and comes without credentials, or is one whose body is read before anyone is
	 * authenticated (enrollment, the console's sign-in), whatever it carries. A request without a body (a health
	 * check, a page) waits for nothing from its client once its head has arrived, so it is not counted.
	 */
	static boolean isAnonymous(HttpServletRequest request) {
		if (!hasBody(request)) {
			return false;
		}
		String path = ApiPaths.of(request);
		if ("POST".equals(request.getMethod()) && (path.equals("/api/v1/enrollment") || path.equals("/login"))) {
			return true;
		}
		return request.getAttribute(CERTIFICATE_ATTRIBUTE) == null
				&& request.getHeader(HttpHeaders.AUTHORIZATION) == null;
	}

	private static boolean hasBody(HttpServletRequest request) {
		return request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null;
	}

	/**
	 * A body that streams a state store in (any size) or a bulk import file (megabytes): held to a rate rather than
	 * a deadline.
	 */
	static boolean isTransfer(HttpServletRequest request) {
		String path = ApiPaths.of(request);
		return ApiPaths.isUpload(path) || ApiPaths.isImport(path);
	}

	private static void refuse(HttpServletResponse response, Admission admission) throws IOException {
		response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		if (admission == Admission.OVER_ADDRESS_LIMIT) {
			Problems.write(response, ProblemType.TOO_MANY_REQUESTS,
					"Too many requests without credentials from your address at once; try again later");
		}
		else {
			Problems.write(response, ProblemType.SERVER_BUSY,
					"Too many requests without credentials at once; try again later");
		}
	}

	/** The request with its body guarded, created on first use. */
	private final class GuardedRequest extends HttpServletRequestWrapper {

		private final long start;

		private ServletInputStream body;

		GuardedRequest(HttpServletRequest request, long start) {
			super(request);
			this.start = start;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.body == null) {
				HttpLimitsProperties limits = RequestLimitsFilter.this.limits;
				ServletInputStream original = super.getInputStream();
				Runnable abandon = () -> AbandonedBodyValve.abandon(getRequest());
				this.body = isTransfer((HttpServletRequest) getRequest())
						? GuardedBody.minimumRate(original, limits.minTransferRate().toBytes(),
								limits.transferRateWindow().toNanos(), abandon)
						: GuardedBody.deadline(original, this.start, limits.bodyTimeout().toNanos(), abandon);
			}
			return this.body;
		}

	}

}
