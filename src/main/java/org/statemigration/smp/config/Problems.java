package org.statemigration.smp.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.problem.ProblemType;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Builds problem details with the API's problem types, and writes them where no message converter runs (in
 * security filters and the container's error report).
 */
final class Problems {

	private static final String TYPE_PREFIX = "urn:smp:problem:";

	private Problems() {
	}

	/** A problem of one of the contract's types, answered with the status of that type. */
	static ProblemDetail of(ProblemType type, String detail) {
		return of(type.slug(), ProblemStatuses.of(type), type.title(), detail);
	}

	/** The problem of an answer known only by its status, titled and described by the status alone. */
	static ProblemDetail forStatus(int status) {
		return forStatus(status, titleFor(status), titleFor(status));
	}

	/** The problem of an answer known only by its status: the container's and the framework's own refusals. */
	static ProblemDetail forStatus(int status, String title, String detail) {
		return of(ProblemStatuses.slugFor(status), HttpStatusCode.valueOf(status), title, detail);
	}

	private static ProblemDetail of(String slug, HttpStatusCode status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(URI.create(TYPE_PREFIX + slug));
		problem.setTitle(title);
		return problem;
	}

	/** Writes a problem of one of the contract's types straight to the response, e.g. from a security filter. */
	static void write(HttpServletResponse response, ProblemType type, String detail) throws IOException {
		write(response, of(type, detail));
	}

	/** Writes a problem straight to the response, e.g. from an authentication entry point. */
	static void write(HttpServletResponse response, ProblemDetail problem) throws IOException {
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getOutputStream().write(json(problem));
		response.flushBuffer();
	}

	/**
	 * A problem document as JSON, for writers that have no message converter at hand: its standard members in the
	 * order of RFC 9457 (those without a value left out), then its extension members.
	 */
	static byte[] json(ProblemDetail problem) {
		Map<String, Object> members = new LinkedHashMap<>();
		members.put("type", problem.getType().toString());
		members.put("title", problem.getTitle());
		members.put("status", problem.getStatus());
		if (problem.getDetail() != null) {
			members.put("detail", problem.getDetail());
		}
		if (problem.getInstance() != null) {
			members.put("instance", problem.getInstance().toString());
		}
		if (problem.getProperties() != null) {
			members.putAll(problem.getProperties());
		}
		return JsonMapper.shared().writeValueAsBytes(members);
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

}
