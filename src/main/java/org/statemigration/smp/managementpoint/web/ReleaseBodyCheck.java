package org.statemigration.smp.managementpoint.web;

import java.lang.reflect.Type;

import org.springframework.core.MethodParameter;
import org.springframework.http.HttpInputMessage;
import org.springframework.http.converter.HttpMessageConverter;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.RequestBodyAdviceAdapter;

/**
 * Checks a release's body as soon as it is read, before its token is looked at: a malformed release is a
 * validation problem whatever token comes with it.
 */
@ControllerAdvice(assignableTypes = ManagementPointController.class)
class ReleaseBodyCheck extends RequestBodyAdviceAdapter {

	@Override
	public boolean supports(MethodParameter parameter, Type targetType,
			Class<? extends HttpMessageConverter<?>> converterType) {
		return targetType == ManagementPointController.Release.class;
	}

	@Override
	public Object afterBodyRead(Object body, HttpInputMessage inputMessage, MethodParameter parameter,
			Type targetType, Class<? extends HttpMessageConverter<?>> converterType) {
		((ManagementPointController.Release) body).check();
		return body;
	}

}
