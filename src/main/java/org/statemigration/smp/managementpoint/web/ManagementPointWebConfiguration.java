package org.statemigration.smp.managementpoint.web;

import java.util.List;

import org.statemigration.smp.managementpoint.Captures;
import org.statemigration.smp.managementpoint.ManagementPoint;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What the computers' endpoints check before their handlers run: the tus version of an upload request, then the
 * token of every {@link Granted} parameter.
 */
@Configuration(proxyBeanMethods = false)
class ManagementPointWebConfiguration implements WebMvcConfigurer {

	private final ManagementPoint managementPoint;

	private final Captures captures;

	ManagementPointWebConfiguration(ManagementPoint managementPoint, Captures captures) {
		this.managementPoint = managementPoint;
		this.captures = captures;
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(new GrantedTokenResolver(this.managementPoint, this.captures));
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(new TusVersionInterceptor()).addPathPatterns("/api/v1/uploads", "/api/v1/uploads/**");
	}

}
