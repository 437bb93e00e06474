package org.statemigration.smp.config;

import org.apache.catalina.connector.ClientAbortException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.CiphertextAuthenticationException;
import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.RateLimitedException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every failure of the API into {@code application/problem+json} with the contract's problem types.
 * Unexpected failures answer a generic 500 and are logged, so no internal detail reaches the caller.
 */
@RestControllerAdvice
class ProblemDetailsAdvice {

	private static final Log logger = LogFactory.getLog(ProblemDetailsAdvice.class);

	@ExceptionHandler
	ResponseEntity<ProblemDetail> problem(ProblemException ex) {
		if (ex.status() >= 500) {
			logger.warn(ex.getMessage(), (ex.getCause() != null) ? ex.getCause() : null);
		}
		return respond(Problems.of(ex.slug(), ex.status(), ex.title(), ex.getMessage()));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> rateLimited(RateLimitedException ex) {
		return ResponseEntity.status(ex.status())
			.header(HttpHeaders.RETRY_AFTER, Long.toString(ex.retryAfterSeconds()))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.of(ex.slug(), ex.status(), ex.title(), ex.getMessage()));
	}

	@ExceptionHandler({ HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class,
			MissingServletRequestParameterException.class, MissingRequestHeaderException.class })
	ResponseEntity<ProblemDetail> badRequest(Exception ex) {
		logger.debug("Invalid request", ex);
		return respond(Problems.of("validation", 400, "Invalid request", describe(ex)));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(NoResourceFoundException ex) {
		return respond(Problems.of("not-found", 404, "Not found", "No such resource"));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> forbidden(AccessDeniedException ex) {
		return respond(Problems.of("forbidden", 403, "Forbidden", "Your role does not allow this"));
	}

	/** The client went away mid-transfer: nothing to answer, and nothing wrong with the server. */
	@ExceptionHandler
	void clientGone(ClientAbortException ex) {
		logger.debug("The client closed the connection", ex);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> integrity(CiphertextAuthenticationException ex) {
		logger.error("A state store failed authentication on read (changed or damaged on disk): " + ex.getMessage());
		return respond(Problems.of("internal", HttpStatus.INTERNAL_SERVER_ERROR.value(), "Internal error",
				"The state store could not be read intact"));
	}

	/**
	 * The database is unreachable, closed or out of connections: 503 with Retry-After, within the pool's connection
	 * timeout, so that clients retry instead of treating it as a server fault. Logged without a stack trace: the
	 * cause is outside the server, and a failing database would otherwise flood the log.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		logger.warn("Database unavailable: " + ex.getMessage());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Integer.toString(DatabaseFailures.RETRY_AFTER_SECONDS))
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.of(DatabaseFailures.SLUG, 503, DatabaseFailures.TITLE, DatabaseFailures.DETAIL));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		if (ex.getCause() instanceof CiphertextAuthenticationException integrity) {
			return integrity(integrity);
		}
		if (DatabaseFailures.isUnavailable(ex)) {
			return databaseUnavailable(ex);
		}
		if (ex instanceof ErrorResponse framework) {
			// the framework's own answers (method not allowed, unsupported media type and the like), with the
			// contract's problem types instead of the framework's about:blank
			int status = framework.getStatusCode().value();
			ProblemDetail body = framework.getBody();
			String title = (body.getTitle() != null) ? body.getTitle() : "Invalid request";
			ProblemDetail problem = Problems.of(frameworkSlug(status), status, title,
					(body.getDetail() != null) ? body.getDetail() : title);
			return ResponseEntity.status(status)
				.headers(framework.getHeaders())
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		logger.error("Request failed", ex);
		return respond(Problems.of("internal", HttpStatus.INTERNAL_SERVER_ERROR.value(), "Internal error",
				"The server could not complete the request"));
	}

	private static String frameworkSlug(int status) {
		if (status == 404) {
			return "not-found";
		}
		return (status < 500) ? "validation" : "internal";
	}

	private static String describe(Exception ex) {
		if (ex instanceof MethodArgumentTypeMismatchException mismatch) {
			return "Invalid value for " + mismatch.getName();
		}
		if (ex instanceof MissingServletRequestParameterException missing) {
			return "Missing parameter " + missing.getParameterName();
		}
		if (ex instanceof MissingRequestHeaderException missing) {
			return "Missing header " + missing.getHeaderName();
		}
		String message = ex.getMessage();
		if (message != null && message.contains("Unrecognized property")) {
			return "The body has a field the API does not know";
		}
		return "The body is not valid JSON for this request";
	}

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
		return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
	}

}
