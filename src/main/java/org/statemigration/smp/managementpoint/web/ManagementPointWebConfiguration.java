package org.statemigration.smp.managementpoint.web;

import java.util.List;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.statemigration.smp.managementpoint.Captures;
import org.statemigration.smp.managementpoint.ManagementPoint;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What the computers' endpoints check before their handlers run: the tus version of an upload request, then the
 * token of every {@link Granted} parameter. The API's OpenAPI document learns of the streamed bodies and the
 * headers from {@link TransferDocumentation}; the token is a credential (a security scheme), not a parameter.
 */
@Configuration(proxyBeanMethods = false)
class ManagementPointWebConfiguration implements WebMvcConfigurer {

	static {
		SpringDocUtils.getConfig().addAnnotationsToIgnore(Granted.class);
	}

	private final ManagementPoint managementPoint;

	private final Captures captures;

	ManagementPointWebConfiguration(ManagementPoint managementPoint, Captures captures) {
		this.managementPoint = managementPoint;
		this.captures = captures;
	}

	@Bean
	static OpenApiCustomizer transferDocumentation() {
		return new TransferDocumentation();
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
