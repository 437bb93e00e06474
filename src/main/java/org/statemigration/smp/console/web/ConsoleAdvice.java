package org.statemigration.smp.console.web;

import java.security.Principal;

import jakarta.servlet.http.HttpServletResponse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.config.ProblemStatuses;
import org.statemigration.smp.problem.ProblemException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatusCode;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.core.Authentication;
import org.springframework.ui.Model;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * What every console page shares: the signed-in operator, the formatting helpers, and failures shown as a page
 * (the API's problem documents are for programs). Takes precedence over the API's advice for console pages only.
 */
@ConditionalOnWebApplication
@ControllerAdvice(basePackageClasses = ConsoleAdvice.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class ConsoleAdvice {

	private static final Log logger = LogFactory.getLog(ConsoleAdvice.class);

	private final RoleHierarchy roleHierarchy;

	ConsoleAdvice(RoleHierarchy roleHierarchy) {
		this.roleHierarchy = roleHierarchy;
	}

	@ModelAttribute("me")
	SignedInOperator me(Principal principal) {
		return SignedInOperator.of((principal instanceof Authentication authentication) ? authentication : null,
				this.roleHierarchy);
	}

	@ModelAttribute("fmt")
	ConsoleFormats formats() {
		return ConsoleFormats.INSTANCE;
	}

	@ExceptionHandler
	String problem(ProblemException ex, Principal principal, HttpServletResponse response, Model model) {
		HttpStatusCode status = ProblemStatuses.of(ex.type());
		if (status.is5xxServerError()) {
			logger.warn(ex.getMessage(), ex.getCause());
		}
		return error(principal, response, model, status.value(), ex.type().title(), ex.getMessage());
	}

	@ExceptionHandler
	String badValue(MethodArgumentTypeMismatchException ex, Principal principal, HttpServletResponse response,
			Model model) {
		if (ex.getParameter().hasParameterAnnotation(PathVariable.class)) {
			return error(principal, response, model, 404, "Not found", "There is no such page.");
		}
		return error(principal, response, model, 400, "Invalid request", "Invalid value for " + ex.getName() + ".");
	}

	@ExceptionHandler({ BindException.class, MissingServletRequestParameterException.class })
	String badForm(Exception ex, Principal principal, HttpServletResponse response, Model model) {
		return error(principal, response, model, 400, "Invalid request", "The form was not filled in as expected.");
	}

	// an exception handler's model is a fresh one: what the page layout needs is added again
	private String error(Principal principal, HttpServletResponse response, Model model, int status, String title,
			String detail) {
		response.setStatus(status);
		model.addAttribute("me", me(principal));
		model.addAttribute("fmt", formats());
		model.addAttribute("title", title);
		model.addAttribute("detail", detail);
		return "console/error";
	}

}
