package org.statemigration.smp.config;

import java.util.List;

import org.statemigration.smp.problem.ProblemType;

import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;

/**
 * The HTTP status that answers each problem type: the tables of status and slug in the API reference
 * ({@code docs/api.md}), in one place. Exceptions name what went wrong; every answer of the server, from the advice,
 * the security filters, the error page or the console, takes its status from here.
 */
public final class ProblemStatuses {

	/** tus's status for a chunk that does not match its {@code Upload-Checksum}; HTTP has no name for it. */
	private static final HttpStatusCode CHECKSUM_MISMATCH = HttpStatusCode.valueOf(460);

	/** The types a status stands for when nothing else is known of the refusal. */
	private static final List<ProblemType> STATUS_ONLY = List.of(ProblemType.UNAUTHORIZED, ProblemType.FORBIDDEN,
			ProblemType.NOT_FOUND, ProblemType.REQUEST_TIMEOUT, ProblemType.REQUEST_TOO_LARGE,
			ProblemType.UNSUPPORTED_MEDIA_TYPE, ProblemType.SERVER_BUSY);

	private ProblemStatuses() {
	}

	/** The status that answers a problem of this type. */
	public static HttpStatusCode of(ProblemType type) {
		return switch (type) {
			case VALIDATION, UNSAFE_SETTING, DIGEST_MISMATCH -> HttpStatus.BAD_REQUEST;
			case UNAUTHORIZED, ENROLLMENT_CODE_INVALID, TOKEN_INVALID -> HttpStatus.UNAUTHORIZED;
			case FORBIDDEN, CERTIFICATE_BLOCKED, PASSWORD_CHANGE_REQUIRED -> HttpStatus.FORBIDDEN;
			case NOT_FOUND, NO_ASSOCIATION, NO_STATE_STORE -> HttpStatus.NOT_FOUND;
			case REQUEST_TIMEOUT -> HttpStatus.REQUEST_TIMEOUT;
			case INVALID_STATE, DUPLICATE_ASSOCIATION, IDENTITY_CONFLICT, UPLOAD_OFFSET_CONFLICT, STORE_DAMAGED ->
				HttpStatus.CONFLICT;
			case UPLOAD_EXPIRED -> HttpStatus.GONE;
			case LENGTH_REQUIRED -> HttpStatus.LENGTH_REQUIRED;
			case UNSUPPORTED_TUS_VERSION -> HttpStatus.PRECONDITION_FAILED;
			case REQUEST_TOO_LARGE, QUOTA_EXCEEDED -> HttpStatus.CONTENT_TOO_LARGE;
			case UNSUPPORTED_MEDIA_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
			case TOO_MANY_REQUESTS, TOO_MANY_ATTEMPTS -> HttpStatus.TOO_MANY_REQUESTS;
			case CHECKSUM_MISMATCH -> CHECKSUM_MISMATCH;
			case INTERNAL -> HttpStatus.INTERNAL_SERVER_ERROR;
			case SERVER_BUSY, DATABASE_UNAVAILABLE, AUDIT_UNAVAILABLE, RESTORE_ONLY_MODE, CAPTURE_IN_PROGRESS,
					STORAGE_UNAVAILABLE ->
				HttpStatus.SERVICE_UNAVAILABLE;
			case INSUFFICIENT_STORAGE -> HttpStatus.INSUFFICIENT_STORAGE;
		};
	}

	/**
	 * The slug of an answer known only by its status (the container's and the framework's own refusals): that of
	 * the general type the status answers, else {@code validation} for a request the server will not take (a
	 * method, transfer encoding or protocol version it does not speak included) and {@code internal} for a failure
	 * of the server.
	 */
	static String slugFor(int status) {
		for (ProblemType type : STATUS_ONLY) {
			if (of(type).value() == status) {
				return type.slug();
			}
		}
		boolean refused = status < 500 || status == HttpStatus.NOT_IMPLEMENTED.value()
				|| status == HttpStatus.HTTP_VERSION_NOT_SUPPORTED.value();
		return (refused ? ProblemType.VALIDATION : ProblemType.INTERNAL).slug();
	}

}
