package org.statemigration.smp.console.web;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.audit.AuditFilter;
import org.statemigration.smp.audit.AuditTrail;
import org.statemigration.smp.problem.ProblemException;
import org.statemigration.smp.problem.ValidationException;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The audit log (ADMIN, AUDITOR): filtered and paged, newest first, and the check of its hash chain.
 */
@Controller
class AuditPages {

	private static final int PAGE_SIZE = 50;

	private final AuditTrail trail;

	AuditPages(AuditTrail trail) {
		this.trail = trail;
	}

	@GetMapping("/console/audit")
	String list(@RequestParam(defaultValue = "") String from, @RequestParam(defaultValue = "") String to,
			@RequestParam(defaultValue = "") String actor, @RequestParam(defaultValue = "") String action,
			@RequestParam(defaultValue = "0") int page, Model model, HttpServletResponse response) {
		model.addAttribute("from", from);
		model.addAttribute("to", to);
		model.addAttribute("actor", actor);
		model.addAttribute("action", action);
		try {
			AuditFilter filter = new AuditFilter(instant(from, "From"), instant(to, "To"), blankToNull(actor),
					blankToNull(action));
			model.addAttribute("result", this.trail.search(filter, Math.max(0, page), PAGE_SIZE));
		}
		catch (ProblemException ex) {
			model.addAttribute("error", Refusals.onForm(ex, response));
		}
		return "console/audit";
	}

	@GetMapping("/console/audit/verify")
	String verify(Model model, HttpServletResponse response) {
		model.addAttribute("verification", this.trail.verify());
		return list("", "", "", "", 0, model, response);
	}

	/** A {@code datetime-local} field, read as UTC like every time the console shows. */
	private static Instant instant(String value, String field) {
		if (value.isBlank()) {
			return null;
		}
		try {
			return LocalDateTime.parse(value.strip()).toInstant(ZoneOffset.UTC);
		}
		catch (DateTimeParseException ex) {
			throw new ValidationException(field + " must be a date and time such as 2026-01-31T08:00");
		}
	}

	private static String blankToNull(String value) {
		return value.isBlank() ? null : value.strip();
	}

}
