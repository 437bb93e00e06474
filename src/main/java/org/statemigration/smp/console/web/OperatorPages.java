package org.statemigration.smp.console.web;

import java.security.Principal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.HttpServletResponse;
import org.statemigration.smp.admin.OperatorAccounts;
import org.statemigration.smp.admin.ProviderSignIn;
import org.statemigration.smp.admin.Role;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Operator accounts (ADMIN): create one, change its roles, disable or enable it, reset another's password. The
 * service keeps the last enabled administrator from being disabled or demoted, and records every change.
 */
@Controller
class OperatorPages {

	private final OperatorAccounts accounts;

	private final ObjectProvider<ProviderSignIn> provider;

	OperatorPages(OperatorAccounts accounts, ObjectProvider<ProviderSignIn> provider) {
		this.accounts = accounts;
		this.provider = provider;
	}

	@GetMapping("/console/operators")
	String list(Model model) {
		return page(model);
	}

	@PostMapping("/console/operators")
	String create(@RequestParam(defaultValue = "") String username, @RequestParam(defaultValue = "") String password,
			@RequestParam(required = false) List<Role> roles, @RequestParam(defaultValue = "false") boolean enabled,
			Model model, HttpServletResponse response, RedirectAttributes redirect) {
		try {
			this.accounts.create(username.strip(), password, roles(roles), enabled);
			redirect.addFlashAttribute("notice", "Operator " + username.strip() + " created.");
			return "redirect:/console/operators";
		}
		catch (ProblemException ex) {
			model.addAttribute("error", Refusals.onForm(ex, response));
			model.addAttribute("username", username);
			return page(model);
		}
	}

	@PostMapping("/console/operators/{username}")
	String update(@PathVariable String username, @RequestParam(required = false) List<Role> roles,
			@RequestParam(defaultValue = "false") boolean enabled, RedirectAttributes redirect) {
		try {
			this.accounts.update(username, null, roles(roles), enabled);
			redirect.addFlashAttribute("notice", "Operator " + username + " saved.");
		}
		catch (ProblemException ex) {
			Refusals.flash(ex, redirect);
		}
		return "redirect:/console/operators";
	}

	/**
	 * Resets another operator's password to a generated temporary one, shown once on the page answered (never
	 * kept in the session, nor by the browser). The operator must change it at the next sign-in.
	 */
	@PostMapping("/console/operators/{username}/password-reset")
	String resetPassword(@PathVariable String username, Principal principal, Model model,
			HttpServletResponse response, RedirectAttributes redirect) {
		try {
			String temporary = this.accounts.resetPassword(principal.getName(), username, null);
			response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
			model.addAttribute("operator", this.accounts.get(username));
			model.addAttribute("temporaryPassword", temporary);
			return "console/password-reset";
		}
		catch (ProblemException ex) {
			Refusals.flash(ex, redirect);
			return "redirect:/console/operators";
		}
	}

	private String page(Model model) {
		model.addAttribute("operators", this.accounts.list());
		model.addAttribute("roles", Role.values());
		ProviderSignIn signIn = this.provider.getIfAvailable();
		if (signIn != null) {
			model.addAttribute("provider", signIn.displayName());
			model.addAttribute("providerOperators", signIn.signedInOperators());
		}
		return "console/operators";
	}

	private static Set<Role> roles(List<Role> roles) {
		return (roles == null || roles.isEmpty()) ? Set.of() : EnumSet.copyOf(roles);
	}

}
