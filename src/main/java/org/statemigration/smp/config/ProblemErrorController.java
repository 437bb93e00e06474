package org.statemigration.smp.config;

import java.util.Map;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.error.ErrorAttributeOptions;
import org.springframework.boot.webmvc.autoconfigure.error.AbstractErrorController;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorViewResolver;
import org.springframework.boot.webmvc.error.ErrorAttributes;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.ModelAndView;

/**
 * The servlet error dispatch ({@code /error}, also reached directly): a problem document with the status's problem
 * type, in place of Boot's default JSON or whitelabel page. The console's pages keep their HTML error pages for
 * browsers. Nothing of the failure (message, exception, path) is shown.
 */
@Controller
@ConditionalOnWebApplication
@RequestMapping("${server.error.path:${error.path:/error}}")
class ProblemErrorController extends AbstractErrorController {

	ProblemErrorController(ErrorAttributes errorAttributes, java.util.List<ErrorViewResolver> errorViewResolvers) {
		super(errorAttributes, errorViewResolvers);
	}

	/** A browser: the console's error page for the console, a problem document for everything else. */
	@RequestMapping(produces = MediaType.TEXT_HTML_VALUE)
	ModelAndView errorHtml(HttpServletRequest request, HttpServletResponse response) throws java.io.IOException {
		HttpStatus status = statusOf(request);
		if (fromConsole(request)) {
			Map<String, Object> model = getErrorAttributes(request, ErrorAttributeOptions.defaults());
			response.setStatus(status.value());
			ModelAndView page = resolveErrorView(request, response, status, model);
			return (page != null) ? page : new ModelAndView("error", model);
		}
		Problems.write(response, Problems.forStatus(status.value()));
		// the answer is written: no view
		return null;
	}

	@RequestMapping
	ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
		int status = statusOf(request).value();
		return ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(Problems.forStatus(status));
	}

	/**
	 * The status of the failed request; a direct request for {@code /error} is not a failure of its own and is
	 * answered as an unknown resource.
	 */
	private HttpStatus statusOf(HttpServletRequest request) {
		if (request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) == null) {
			return HttpStatus.NOT_FOUND;
		}
		HttpStatus status = getStatus(request);
		return (status.value() < 400) ? HttpStatus.INTERNAL_SERVER_ERROR : status;
	}

	private static boolean fromConsole(HttpServletRequest request) {
		return request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri
				&& ApiPaths.isConsolePage(uri);
	}

}
