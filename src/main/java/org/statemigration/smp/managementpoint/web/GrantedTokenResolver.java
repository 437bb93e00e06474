package org.statemigration.smp.managementpoint.web;

import java.util.Map;
import java.util.UUID;

import org.statemigration.smp.managementpoint.Captures;
import org.statemigration.smp.managementpoint.ManagementPoint;
import org.statemigration.smp.managementpoint.ManagementPointToken;
import org.statemigration.smp.managementpoint.Operation;
import org.statemigration.smp.pki.ClientNotAuthenticatedException;
import org.statemigration.smp.pki.EnrolledComputer;
import org.statemigration.smp.problem.NotFoundException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Resolves a {@link Granted} token once, before the handler runs, through {@link ManagementPoint#authorize}: one
 * generic refusal whatever the reason, the reason recorded without the token. A request without a well-formed
 * {@code Authorization: Bearer} header is refused before that, unrecorded: there is no token to speak of.
 */
class GrantedTokenResolver implements HandlerMethodArgumentResolver {

	private static final String ASSOCIATION = "associationId";

	private static final String UPLOAD = "uploadId";

	private final ManagementPoint managementPoint;

	private final Captures captures;

	GrantedTokenResolver(ManagementPoint managementPoint, Captures captures) {
		this.managementPoint = managementPoint;
		this.captures = captures;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.hasParameterAnnotation(Granted.class)
				&& parameter.getParameterType() == ManagementPointToken.class;
	}

	@Override
	public ManagementPointToken resolveArgument(MethodParameter parameter, ModelAndViewContainer container,
			NativeWebRequest request, WebDataBinderFactory binders) throws Exception {
		Operation[] operations = parameter.getParameterAnnotation(Granted.class).value();
		Map<String, String> variables = pathVariables(request);
		UUID associationId = uuid(ASSOCIATION, variables, parameter, request, binders);
		UUID uploadId = uuid(UPLOAD, variables, parameter, request, binders);
		EnrolledComputer computer = computer();
		String bearer = Bearer.token(request.getHeader(HttpHeaders.AUTHORIZATION));
		if (operations.length == 0) {
			return this.managementPoint.verifyForRelease(computer, bearer);
		}
		if (uploadId != null) {
			return forUpload(computer, bearer, operations[0], uploadId);
		}
		return this.managementPoint.authorize(computer, bearer, operations[0], associationId);
	}

	/**
	 * Checks the token first on its own and then against the upload's association, so that a caller learns
	 * nothing of an upload that is not its own.
	 */
	private ManagementPointToken forUpload(EnrolledComputer computer, String bearer, Operation operation,
			UUID uploadId) {
		ManagementPointToken token = this.managementPoint.authorize(computer, bearer, operation, null);
		UUID owner = this.captures.owner(uploadId).orElseThrow(() -> new NotFoundException("No such upload"));
		if (!owner.equals(token.associationId())) {
			// refused as a token for another association is, and recorded as such
			return this.managementPoint.authorize(computer, bearer, operation, owner);
		}
		return token;
	}

	private static EnrolledComputer computer() {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication == null || !(authentication.getPrincipal() instanceof EnrolledComputer computer)) {
			throw new ClientNotAuthenticatedException("A client certificate of an enrolled computer is required");
		}
		return computer;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, String> pathVariables(NativeWebRequest request) {
		Map<String, String> variables = (Map<String, String>) request
			.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST);
		return (variables != null) ? variables : Map.of();
	}

	/**
	 * The path variable, if the request has it, as the framework converts it for a {@code @PathVariable UUID}, and
	 * refused the same way.
	 */
	private static UUID uuid(String name, Map<String, String> variables, MethodParameter parameter,
			NativeWebRequest request, WebDataBinderFactory binders) throws Exception {
		String value = variables.get(name);
		if (value == null) {
			return null;
		}
		try {
			return binders.createBinder(request, null, name).convertIfNecessary(value, UUID.class);
		}
		catch (TypeMismatchException ex) {
			throw new MethodArgumentTypeMismatchException(value, UUID.class, name, parameter, ex.getCause());
		}
	}

}
