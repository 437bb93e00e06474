package org.statemigration.smp.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Builds problem details with the API's problem types, and writes them where no message converter runs (in
 * security filters).
 */
public final class Problems {

	private static final String TYPE_PREFIX = "urn:smp:problem:";

	private Problems() {
	}

	public static ProblemDetail of(String slug, int status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
		problem.setType(URI.create(TYPE_PREFIX + slug));
		problem.setTitle(title);
		return problem;
	}

	/** Writes a problem straight to the response, e.g. from an authentication entry point. */
	public static void write(HttpServletResponse response, String slug, int status, String title, String detail)
			throws IOException {
		response.setStatus(status);
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getOutputStream().write(json(slug, status, title, detail).getBytes(StandardCharsets.UTF_8));
		response.flushBuffer();
	}

	/** A problem document as text, for writers that have no message converter at hand. */
	static String json(String slug, int status, String title, String detail) {
		return "{\"type\":\"" + TYPE_PREFIX + slug + "\",\"title\":" + quote(title) + ",\"status\":" + status
				+ ",\"detail\":" + quote(detail) + "}";
	}

	/**
	 * The problem type of an answer known only by its status (the container's and the framework's own refusals).
	 */
	static String slugFor(int status) {
		return switch (status) {
			case 401 -> "unauthorized";
			case 403 -> "forbidden";
			case 404 -> "not-found";
			case 408 -> "request-timeout";
			case 413 -> "request-too-large";
			case 415 -> "unsupported-media-type";
			case 503 -> "server-busy";
			// a transfer encoding, method or protocol version this server does not speak: the client's request
			case 501, 505 -> "validation";
			default -> (status < 500) ? "validation" : "internal";
		};
	}

	/** A short title for a status, never the client's input. */
	static String titleFor(int status) {
		return switch (status) {
			case 401 -> "Unauthorized";
			case 403 -> "Forbidden";
			case 404 -> "Not found";
			case 405 -> "Method not allowed";
			case 406 -> "Not acceptable";
			case 408 -> "Request timeout";
			case 413 -> "Request too large";
			case 414 -> "URI too long";
			case 415 -> "Unsupported media type";
			case 431 -> "Request header fields too large";
			case 501 -> "Not implemented";
			case 503 -> "Service unavailable";
			case 505 -> "HTTP version not supported";
			default -> (status < 500) ? "Invalid request" : "Internal error";
		};
	}

	private static String quote(String text) {
		StringBuilder out = new StringBuilder(text.length() + 2).append('"');
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		return out.append('"').toString();
	}

}
