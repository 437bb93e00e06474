package org.statemigration.smp.config;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.ClientAbortException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.crypto.CiphertextAuthenticationException;
import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ProblemType;
import org.statemigration.smp.problem.RequestBodyTimeoutException;
import org.statemigration.smp.problem.RetryLaterException;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
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
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
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
		if (ProblemStatuses.of(ex.type()).is5xxServerError()) {
			logger.warn(ex.getMessage(), (ex.getCause() != null) ? ex.getCause() : null);
		}
		ProblemDetail problem = Problems.of(ex.type(), ex.getMessage());
		ex.properties().forEach(problem::setProperty);
		return respond(problem);
	}

	/** Not now rather than not at all: the answer carries Retry-After, and only a debug line goes to the log. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> retryLater(RetryLaterException ex) {
		logger.debug(ex.getMessage());
		return respond(Problems.of(ex.type(), ex.getMessage()), HttpHeaders.RETRY_AFTER,
				Long.toString(ex.retryAfterSeconds()));
	}

	@ExceptionHandler({ HttpMessageNotReadableException.class, MethodArgumentTypeMismatchException.class,
			MissingServletRequestParameterException.class, MissingRequestHeaderException.class })
	ResponseEntity<ProblemDetail> badRequest(Exception ex) {
		if (RequestBodyTimeoutException.in(ex) != null) {
			return bodyTimeout(RequestBodyTimeoutException.in(ex));
		}
		if (tooLarge(ex)) {
			return requestTooLarge(ex);
		}
		if (causedBy(ex, ClientAbortException.class)) {
			// the body broke off because the client went away: nobody to answer
			clientGone(ex);
			return null;
		}
		logger.debug("Invalid request", ex);
		return respond(Problems.of(ProblemType.VALIDATION, describe(ex)));
	}

	/**
	 * A {@code Content-Type} that cannot even be parsed: the body is of no type the endpoint reads (the framework
	 * would otherwise call it an internal error).
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> unreadableMediaType(InvalidMediaTypeException ex) {
		logger.debug("Unparsable media type", ex);
		return respond(
				Problems.of(ProblemType.UNSUPPORTED_MEDIA_TYPE, "The Content-Type is not one this endpoint reads"));
	}

	/**
	 * A path that no endpoint answers. Under the console, the error dispatch answers, so that a browser gets the
	 * console's page as for its other errors, and a program a problem document.
	 */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> notFound(NoResourceFoundException ex, HttpServletRequest request,
			HttpServletResponse response) throws IOException {
		if (ApiPaths.isConsolePage(ApiPaths.of(request))) {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
			return null;
		}
		return respond(Problems.of(ProblemType.NOT_FOUND, "No such resource"));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> forbidden(AccessDeniedException ex) {
		return respond(Problems.of(ProblemType.FORBIDDEN, "Your role does not allow this"));
	}

	/** A client too slow with its body: the connection is closed, not left to wait for the rest. */
	@ExceptionHandler
	ResponseEntity<ProblemDetail> bodyTimeout(RequestBodyTimeoutException ex) {
		logger.debug("Request body too slow: " + ex.getMessage());
		return respond(Problems.of(ProblemType.REQUEST_TIMEOUT, ex.getMessage()), HttpHeaders.CONNECTION, "close");
	}

	/** The client went away mid-transfer: nothing to answer, and nothing wrong with the server. */
	@ExceptionHandler({ ClientAbortException.class, AsyncRequestNotUsableException.class })
	void clientGone(Exception ex) {
		logger.debug("The client closed the connection", ex);
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> integrity(CiphertextAuthenticationException ex) {
		logger.error("A state store failed authentication on read (changed or damaged on disk): " + ex.getMessage());
		return respond(Problems.of(ProblemType.INTERNAL, "The state store could not be read intact"));
	}

	/**
	 * The database is unreachable, closed or out of connections: 503 with Retry-After, within the pool's connection
	 * timeout, so that clients retry instead of treating it as a server fault. Logged without a stack trace: the
	 * cause is outside the server, and a failing database would otherwise flood the log.
	 */
	@ExceptionHandler({ DataAccessResourceFailureException.class, CannotCreateTransactionException.class })
	ResponseEntity<ProblemDetail> databaseUnavailable(Exception ex) {
		logger.warn("Database unavailable: " + ex.getMessage());
		return respond(Problems.of(ProblemType.DATABASE_UNAVAILABLE, DatabaseFailures.DETAIL), HttpHeaders.RETRY_AFTER,
				Integer.toString(DatabaseFailures.RETRY_AFTER_SECONDS));
	}

	@ExceptionHandler
	ResponseEntity<ProblemDetail> unexpected(Exception ex) {
		FatalErrors.haltIfFatal(ex);
		if (RequestBodyTimeoutException.in(ex) != null) {
			return bodyTimeout(RequestBodyTimeoutException.in(ex));
		}
		if (ex.getCause() instanceof CiphertextAuthenticationException integrity) {
			return integrity(integrity);
		}
		if (tooLarge(ex)) {
			return requestTooLarge(ex);
		}
		if (causedBy(ex, ClientAbortException.class)) {
			clientGone(ex);
			return null;
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
			ProblemDetail problem = Problems.forStatus(status, title, frameworkDetail(status, body));
			return ResponseEntity.status(status)
				.headers(framework.getHeaders())
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.body(problem);
		}
		logger.error("Request failed", ex);
		return respond(Problems.of(ProblemType.INTERNAL, "The server could not complete the request"));
	}

	/**
	 * The framework's detail, except where it would quote the client's input back (a media type, a method): then
	 * a fixed sentence.
	 */
	private static String frameworkDetail(int status, ProblemDetail body) {
		return switch (status) {
			case 405 -> "The method is not allowed on this resource";
			case 406 -> "None of the accepted media types can be produced";
			case 415 -> "The Content-Type is not one this endpoint reads";
			default -> (body.getDetail() != null) ? body.getDetail() : Problems.titleFor(status);
		};
	}

	/** The body was read past {@code smp.http.max-json-body}: whatever wrapped the failure, it is a 413. */
	private static boolean tooLarge(Throwable ex) {
		return causedBy(ex, RequestTooLargeException.class);
	}

	private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return true;
			}
		}
		return false;
	}

	private static ResponseEntity<ProblemDetail> requestTooLarge(Exception ex) {
		logger.debug("Request body too large", ex);
		return respond(Problems.of(ProblemType.REQUEST_TOO_LARGE, "The body is larger than this endpoint accepts"));
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

	private static ResponseEntity<ProblemDetail> respond(ProblemDetail problem, String header, String value) {
		return ResponseEntity.status(problem.getStatus())
			.header(header, value)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem);
	}

}
