package org.statemigration.smp.console.web;

import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * The sign-in form. Spring Security checks the credentials it posts; every failure (wrong password, unknown or
 * locked or disabled account) gets one and the same message, so the page tells nobody which accounts exist.
 */
@Controller
class SignInController {

	@GetMapping("/login")
	String signIn(@ModelAttribute("me") SignedInOperator me) {
		return me.signedIn() ? "redirect:/console" : "console/login";
	}

}
