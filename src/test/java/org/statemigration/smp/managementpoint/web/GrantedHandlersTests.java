package org.statemigration.smp.managementpoint.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.statemigration.smp.SmpApplication;

import org.springframework.context.annotation.ClassPathBeanDefinitionScanner;
import org.springframework.core.MethodParameter;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.context.support.GenericWebApplicationContext;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every handler under the paths where computers present tokens takes a {@link Granted} token, so that a new
 * endpoint cannot forget the check: the handlers are found as the server maps them, from every controller of the
 * application. The few that need no token are named here, each for a reason.
 */
class GrantedHandlersTests {

	/** Where computers present management-point tokens. */
	private static final List<String> TOKEN_PATHS = List.of("/api/v1/mp", "/api/v1/stores", "/api/v1/uploads");

	/** The handlers there that take no token, and why. */
	private static final Map<String, String> TOKEN_FREE = Map.of(
			"GET /api/v1/mp/status", "a computer's own associations: its certificate is enough",
			"POST /api/v1/mp/request-state-store", "issues the token",
			"OPTIONS /api/v1/uploads", "tus discovery, which the protocol answers without credentials");

	private final Map<RequestMappingInfo, HandlerMethod> handlers = handlerMethods();

	@Test
	void everyHandlerWhereTokensArePresentedTakesAGrantedToken() {
		List<String> unchecked = new ArrayList<>();
		this.handlers.forEach((mapping, handler) -> {
			for (String endpoint : endpoints(mapping)) {
				if (underTokenPaths(endpoint) && !TOKEN_FREE.containsKey(endpoint) && granted(handler).isEmpty()) {
					unchecked.add(endpoint + " (" + handler.getShortLogMessage() + ")");
				}
			}
		});
		assertThat(unchecked).as("handlers without a @Granted token").isEmpty();
	}

	@Test
	void theHandlersThatTakeNoTokenExistAndTakeNone() {
		Set<String> tokenFree = new TreeSet<>();
		this.handlers.forEach((mapping, handler) -> {
			for (String endpoint : endpoints(mapping)) {
				if (TOKEN_FREE.containsKey(endpoint) && granted(handler).isEmpty()) {
					tokenFree.add(endpoint);
				}
			}
		});
		assertThat(tokenFree).containsExactlyInAnyOrderElementsOf(TOKEN_FREE.keySet());
	}

	@Test
	void theStoreAndUploadHandlersAreGrantedForOneOperation() {
		List<String> granted = new ArrayList<>();
		this.handlers.forEach((mapping, handler) -> {
			for (MethodParameter parameter : granted(handler)) {
				int operations = parameter.getParameterAnnotation(Granted.class).value().length;
				assertThat(operations).as(handler.getShortLogMessage()).isLessThanOrEqualTo(1);
				endpoints(mapping).forEach((endpoint) -> granted.add(endpoint + " " + operations));
			}
		});
		assertThat(granted).contains("PUT /api/v1/stores/{associationId} 1", "GET /api/v1/stores/{associationId} 1",
				"HEAD /api/v1/stores/{associationId} 1", "POST /api/v1/uploads 1",
				"HEAD /api/v1/uploads/{uploadId} 1", "PATCH /api/v1/uploads/{uploadId} 1",
				"DELETE /api/v1/uploads/{uploadId} 1", "POST /api/v1/mp/release-state-store 0");
	}

	private static boolean underTokenPaths(String endpoint) {
		String path = endpoint.substring(endpoint.indexOf(' ') + 1);
		return TOKEN_PATHS.stream().anyMatch((area) -> path.equals(area) || path.startsWith(area + "/"));
	}

	private static List<MethodParameter> granted(HandlerMethod handler) {
		return List.of(handler.getMethodParameters())
			.stream()
			.filter((parameter) -> parameter.hasParameterAnnotation(Granted.class))
			.toList();
	}

	/** Each method and path the mapping answers, e.g. {@code PUT /api/v1/stores/{associationId}}. */
	private static List<String> endpoints(RequestMappingInfo mapping) {
		Set<RequestMethod> methods = mapping.getMethodsCondition().getMethods();
		Set<RequestMethod> answered = methods.isEmpty() ? Set.of(RequestMethod.values()) : methods;
		List<String> endpoints = new ArrayList<>();
		for (String path : mapping.getPatternValues()) {
			answered.forEach((method) -> endpoints.add(method + " " + path));
		}
		return endpoints;
	}

	/**
	 * The handler methods as the server maps them, from every controller of the application, without starting
	 * it: the controllers are looked at as classes, never created.
	 */
	private static Map<RequestMappingInfo, HandlerMethod> handlerMethods() {
		try (GenericWebApplicationContext context = new GenericWebApplicationContext()) {
			ClassPathBeanDefinitionScanner scanner = new ClassPathBeanDefinitionScanner(context, false);
			scanner.addIncludeFilter(new AnnotationTypeFilter(Controller.class));
			scanner.getBeanDefinitionDefaults().setLazyInit(true);
			scanner.scan(SmpApplication.class.getPackageName());
			context.refresh();
			RequestMappingHandlerMapping mapping = new RequestMappingHandlerMapping();
			mapping.setApplicationContext(context);
			mapping.setEmbeddedValueResolver(context.getEnvironment()::resolvePlaceholders);
			mapping.afterPropertiesSet();
			return mapping.getHandlerMethods();
		}
	}

}
