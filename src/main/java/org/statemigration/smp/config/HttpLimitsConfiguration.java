package org.statemigration.smp.config;

import jakarta.servlet.Filter;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * Puts {@link RequestLimitsFilter} in front of everything but the guard against fatal errors, and
 * {@link AbandonedBodyValve} into the container, so that a body cut off is not read to its end after all.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class HttpLimitsConfiguration {

	@Bean
	FilterRegistrationBean<Filter> requestLimitsFilter(HttpLimitsProperties limits) {
		FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(new RequestLimitsFilter(limits));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
		registration.setName("requestLimitsFilter");
		return registration;
	}

	@Bean
	TomcatContextCustomizer abandonedBodies() {
		return (context) -> context.getPipeline().addValve(new AbandonedBodyValve());
	}

}
