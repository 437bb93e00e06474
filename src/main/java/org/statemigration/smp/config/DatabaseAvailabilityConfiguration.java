package org.statemigration.smp.config;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link DatabaseUnavailableFilter} around the security filters, so that it sees what fails in them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class DatabaseAvailabilityConfiguration {

	@Bean
	FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter() {
		FilterRegistrationBean<DatabaseUnavailableFilter> registration = new FilterRegistrationBean<>(
				new DatabaseUnavailableFilter());
		registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1);
		return registration;
	}

}
