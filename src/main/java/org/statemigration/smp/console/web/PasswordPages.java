package org.statemigration.smp.console.web;

import java.security.Principal;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * Every operator's own password: the current one, and the new one twice. A change ends all of the operator's
 * console sessions, this one too, and the operator signs in again with the new password. An operator whose
 * password an administrator reset is sent here, and can go nowhere else, until it is changed.
 */
@Controller
class PasswordPages {

	private final OperatorAccounts accounts;

	PasswordPages(OperatorAccounts accounts) {
		this.accounts = accounts;
	}

	@GetMapping("/console/password")
	String form(Principal principal, Model model) {
		return page(principal, model);
	}

	@PostMapping("/console/password")
	String change(@RequestParam(defaultValue = "") String currentPassword,
			@RequestParam(defaultValue = "") String newPassword, @RequestParam(defaultValue = "") String repeatPassword,
			Principal principal, Model model, HttpServletRequest request, HttpServletResponse response) {
		if (!newPassword.equals(repeatPassword)) {
			response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
			model.addAttribute("error", "The new password and its repetition differ.");
			return page(principal, model);
		}
		try {
			this.accounts.changeOwnPassword(principal.getName(), currentPassword, newPassword);
		}
		catch (ProblemException ex) {
			model.addAttribute("error", Refusals.onForm(ex, response));
			return page(principal, model);
		}
		// the sessions were ended with the change; this one is let go of too
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.invalidate();
		}
		SecurityContextHolder.clearContext();
		return "redirect:/login?passwordChanged";
	}

	private String page(Principal principal, Model model) {
		model.addAttribute("mustChange", this.accounts.get(principal.getName()).passwordChangeRequired());
		return "console/password";
	}

}
