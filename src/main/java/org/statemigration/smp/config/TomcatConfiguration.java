package org.statemigration.smp.config;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	/**
	 * Answer {@code Expect: 100-continue} only when the application starts reading the body. An upload refused
	 * from its headers (bad token, over quota) is then refused before the client sends a byte of a body that may
	 * be tens of gigabytes.
	 */
	@Bean
	TomcatConnectorCustomizer continueWhenTheBodyIsRead() {
		return (connector) -> connector.setProperty("continueResponseTiming", "onRead");
	}

}
