package org.statemigration.smp.config;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	/** What one open connection holds on the heap at most: socket and TLS buffers, with room to spare. */
	static final long MEMORY_PER_CONNECTION = 80L * 1024;

	private static final Log logger = LogFactory.getLog(TomcatConfiguration.class);

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
	 * Socket buffers of 16 KiB, one full TLS record, instead of 8 KiB: state stores are gigabytes, and with the
	 * default each record is written in two halves. Every open connection holds both buffers, so they stay that
	 * size: hundreds of connections must fit in a small heap.
	 */
	@Bean
	TomcatConnectorCustomizer recordSizedSocketBuffers() {
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", "16384");
			connector.setProperty("socket.appWriteBufSize", "16384");
		};
	}

	/**
	 * At most as many open connections as a quarter of the heap holds (at {@link #MEMORY_PER_CONNECTION} each),
	 * unless {@code smp.http.max-connections} says otherwise: idle connections cost memory too, and the container's
	 * default of 8192 would not fit in a small heap. Connections beyond it wait in the operating system's backlog.
	 */
	@Bean
	TomcatConnectorCustomizer connectionsThatFitTheHeap(HttpLimitsProperties limits) {
		int maxConnections = (limits.maxConnections() > 0) ? limits.maxConnections()
				: fromHeap(Runtime.getRuntime().maxMemory());
		logger.info("At most " + maxConnections + " connections at once");
		return (connector) -> connector.setProperty("maxConnections", Integer.toString(maxConnections));
	}

	static int fromHeap(long maxHeap) {
		return (int) Math.max(100, Math.min(8192, maxHeap / 4 / MEMORY_PER_CONNECTION));
	}

}
