package org.statemigration.smp.problem;

import java.io.IOException;

/**
 * A request's body arrives too slowly: answered 408 {@code request-timeout}, and the connection is closed rather
 * than waited on. An {@link IOException}, because it surfaces from a read of the body wherever that happens.
 */
public class RequestBodyTimeoutException extends IOException {

	public RequestBodyTimeoutException(String message) {
		super(message);
	}

	/** The timeout among the causes of a failure, or null if it is not one. */
	public static RequestBodyTimeoutException in(Throwable failure) {
		for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
			if (cause instanceof RequestBodyTimeoutException timeout) {
				return timeout;
			}
		}
		return null;
	}

}
