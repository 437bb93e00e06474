package org.statemigration.smp.console.web;

import org.statemigration.smp.admin.ProviderSignIn;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The sign-in form. Spring Security checks the credentials it posts; every failure (wrong password, unknown or
 * locked or disabled account) gets one and the same message, so the page tells nobody which accounts exist. With
 * {@code smp.oidc.enabled}, the page also offers sign-in with the organisation's OpenID provider.
 */
@Controller
class SignInController {

	private final ObjectProvider<ProviderSignIn> provider;

	SignInController(ObjectProvider<ProviderSignIn> provider) {
		this.provider = provider;
	}

	@GetMapping("/login")
	String signIn(@ModelAttribute("me") SignedInOperator me, Model model) {
		if (me.signedIn()) {
			return "redirect:/console";
		}
		ProviderSignIn signIn = this.provider.getIfAvailable();
		model.addAttribute("provider", (signIn != null) ? signIn.displayName() : null);
		return "console/login";
	}

}
