package org.statemigration.smp.config;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The API never takes a form: its request parameters come from the query string alone. Without this, whatever
 * asks for a parameter of a {@code POST} declared as a form (a framework component, a future controller) would
 * make Tomcat read and parse the body, before authentication and whatever its size.
 */
class QueryOnlyParametersFilter extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !ApiPaths.isApi(ApiPaths.of(request));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new QueryOnly(request), response);
	}

	private static final class QueryOnly extends HttpServletRequestWrapper {

		private Map<String, String[]> parameters;

		QueryOnly(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getParameter(String name) {
			String[] values = getParameterMap().get(name);
			return (values != null) ? values[0] : null;
		}

		@Override
		public String[] getParameterValues(String name) {
			String[] values = getParameterMap().get(name);
			return (values != null) ? values.clone() : null;
		}

		@Override
		public Enumeration<String> getParameterNames() {
			return Collections.enumeration(getParameterMap().keySet());
		}

		@Override
		public Map<String, String[]> getParameterMap() {
			if (this.parameters == null) {
				this.parameters = Collections.unmodifiableMap(parse(getQueryString()));
			}
			return this.parameters;
		}

		private static Map<String, String[]> parse(String query) {
			Map<String, List<String>> values = new LinkedHashMap<>();
			if (query != null) {
				for (String pair : query.split("&")) {
					if (pair.isEmpty()) {
						continue;
					}
					int equals = pair.indexOf('=');
					String name = decode((equals < 0) ? pair : pair.substring(0, equals));
					String value = decode((equals < 0) ? "" : pair.substring(equals + 1));
					if (name != null && value != null) {
						values.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
					}
				}
			}
			Map<String, String[]> parameters = new LinkedHashMap<>();
			values.forEach((name, list) -> parameters.put(name, list.toArray(String[]::new)));
			return parameters;
		}

		/** Decoded text, or null for a malformed escape: such a parameter is ignored, as Tomcat ignores it. */
		private static String decode(String text) {
			try {
				return URLDecoder.decode(text, StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException malformed) {
				return null;
			}
		}

	}

}
