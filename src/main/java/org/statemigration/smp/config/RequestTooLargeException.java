package org.statemigration.smp.config;

import java.io.IOException;

/**
 * A request body read past its limit. An {@link IOException}, so that it passes through the readers of the body
 * (the JSON parser wraps it); the problem advice looks for it among the causes and answers 413.
 */
final class RequestTooLargeException extends IOException {

	RequestTooLargeException(long limit) {
		super("The body is larger than " + limit + " bytes");
	}

}
