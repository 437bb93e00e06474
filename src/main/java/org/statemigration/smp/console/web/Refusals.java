package org.statemigration.smp.console.web;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.config.ProblemStatuses;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.http.HttpStatus;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A console action that the service it called refused, shown to the operator as a message on the page, with the
 * status the API would answer. A refusal because the thing acted on does not exist is not a message on a page
 * about that thing: it is rethrown, and {@link ConsoleAdvice} answers with the not-found page.
 */
final class Refusals {

	private Refusals() {
	}

	/** The refusal as the flash message {@code error} of the page redirected to. */
	static void flash(ProblemException refusal, RedirectAttributes redirect) {
		if (ProblemStatuses.of(refusal.type()).isSameCodeAs(HttpStatus.NOT_FOUND)) {
			throw refusal;
		}
		redirect.addFlashAttribute("error", refusal.getMessage());
	}

	/** Gives the form shown again the refusal's status, and returns the message to show on it. */
	static String onForm(ProblemException refusal, HttpServletResponse response) {
		response.setStatus(ProblemStatuses.of(refusal.type()).value());
		return refusal.getMessage();
	}

}
