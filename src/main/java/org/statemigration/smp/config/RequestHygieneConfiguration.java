package org.statemigration.smp.config;

import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.problem.ProblemType;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * What a request may make the server do before it is authenticated, and how the answers that no controller gives
 * look: a bounded body for everything but uploads, no form parsing on the API, and a problem document for every
 * refusal of the firewall and of Tomcat itself.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class RequestHygieneConfiguration {

	private static final Log logger = LogFactory.getLog(RequestHygieneConfiguration.class);

	/**
	 * Before anything (authentication included) reads a body, after the guards against fatal errors and the limits of
	 * requests at once: a body too large is refused.
	 */
	@Bean
	FilterRegistrationBean<RequestBodyLimitFilter> requestBodyLimitFilter(HttpLimitsProperties limits) {
		FilterRegistrationBean<RequestBodyLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestBodyLimitFilter(limits.maxJsonBody().toBytes(), limits.maxImportBody().toBytes()));
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
		return registration;
	}

	@Bean
	FilterRegistrationBean<QueryOnlyParametersFilter> queryOnlyParametersFilter() {
		FilterRegistrationBean<QueryOnlyParametersFilter> registration = new FilterRegistrationBean<>(
				new QueryOnlyParametersFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
		return registration;
	}

	@Bean
	FilterRegistrationBean<DeclaredContentTypeFilter> declaredContentTypeFilter() {
		FilterRegistrationBean<DeclaredContentTypeFilter> registration = new FilterRegistrationBean<>(
				new DeclaredContentTypeFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 4);
		return registration;
	}

	/**
	 * Requests the firewall refuses (encoded slashes, {@code ;}, {@code ..}, control characters and the like in
	 * the path) are a client's mistake or probe: 400 with a problem document, logged at debug only.
	 */
	@Bean
	RequestRejectedHandler problemRequestRejectedHandler() {
		return (request, response, ex) -> {
			logger.debug("Request refused by the firewall: " + ex.getMessage());
			Problems.write(response, ProblemType.VALIDATION, "The request's URL or headers are not allowed");
		};
	}

	/** Replaces Tomcat's HTML error report (and Boot's, which only hides details) by problem documents. */
	@Bean
	WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> problemErrorReport() {
		return new ProblemErrorReportCustomizer();
	}

	/** Runs after Boot's own Tomcat customizer, so that the valve it adds is there to be replaced. */
	private static final class ProblemErrorReportCustomizer
			implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

			@Override
			public int getOrder() {
				return Ordered.LOWEST_PRECEDENCE;
			}

			@Override
			public void customize(ConfigurableTomcatWebServerFactory factory) {
				factory.addContextCustomizers((context) -> {
					if (context.getParent() instanceof StandardHost host) {
						host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
					}
					Pipeline pipeline = context.getParent().getPipeline();
					for (Valve valve : pipeline.getValves()) {
						if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
							pipeline.removeValve(valve);
						}
					}
					pipeline.addValve(new ProblemErrorReportValve());
				});
			}

	}

}
