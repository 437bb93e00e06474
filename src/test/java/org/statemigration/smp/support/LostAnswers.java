package org.statemigration.smp.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Loses the server's answer to a request, as a failing network or proxy would: the request is carried out in full,
 * then its answer is thrown away and the caller gets 502 with no body. Armed per path, for the next request only.
 */
public class LostAnswers extends OncePerRequestFilter {

	private static final Set<String> armed = ConcurrentHashMap.newKeySet();

	/** The next request to this path (e.g. {@code /api/v1/mp/release-state-store}) is done but its answer lost. */
	public static void loseNextAnswerTo(String path) {
		armed.add(path);
	}

	public static void reset() {
		armed.clear();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!armed.remove(request.getRequestURI())) {
			chain.doFilter(request, response);
			return;
		}
		chain.doFilter(request, new Swallowing(response));
		response.reset();
		response.setStatus(HttpServletResponse.SC_BAD_GATEWAY);
		response.setContentLength(0);
	}

	/** Lets the application write its answer into nothing, so that none of it is sent. */
	private static final class Swallowing extends HttpServletResponseWrapper {

		private final ServletOutputStream nothing = new ServletOutputStream() {

			@Override
			public void write(int b) {
			}

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setWriteListener(WriteListener listener) {
			}

		};

		Swallowing(HttpServletResponse response) {
			super(response);
		}

		@Override
		public ServletOutputStream getOutputStream() {
			return this.nothing;
		}

		@Override
		public PrintWriter getWriter() {
			return new PrintWriter(OutputStream.nullOutputStream());
		}

		@Override
		public void flushBuffer() {
		}

	}

}
