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

	/**
	 * Socket buffers of 64 KiB instead of 8 KiB: state stores are gigabytes, and with the default each full TLS
	 * record (16 KiB) is written in two halves and read in several system calls.
	 */
	@Bean
	TomcatConnectorCustomizer largeSocketBuffers() {
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", "65536");
			connector.setProperty("socket.appWriteBufSize", "65536");
		};
	}

}
