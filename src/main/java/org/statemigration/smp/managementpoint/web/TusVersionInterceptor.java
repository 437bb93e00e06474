package org.statemigration.smp.managementpoint.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Refuses a tus request of another protocol version (412) before anything else of it is looked at, its token
 * included: a client that speaks another tus learns that first. Discovery ({@code OPTIONS}) is for any version.
 */
class TusVersionInterceptor implements HandlerInterceptor {

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (handler instanceof HandlerMethod && !"OPTIONS".equals(request.getMethod())) {
			TusHeaders.checkResumable(request.getHeader(TusHeaders.TUS_RESUMABLE));
		}
		return true;
	}

}
