package org.statemigration.smp.config;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

	/** What one open connection holds on the heap at most: socket and TLS buffers, with room to spare. */
	static final long MEMORY_PER_CONNECTION = 96L * 1024;

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
	 * Bytes of application data in one TLS 1.3 record as JSSE cuts it: 16 KiB less the content type byte and room
	 * for the AES-GCM tag. Under TLS 1.2 and under OpenSSL a record holds 16 KiB.
	 */
	static final int TLS_RECORD_DATA = 16367;

	/**
	 * A read buffer of one TLS record and a write buffer of exactly two, instead of 8 KiB each way: state stores are
	 * gigabytes. Once TLS is negotiated, Tomcat grows both buffers to what the TLS engine asks for, a few hundred
	 * bytes more than one record holds. Each time the write buffer is full it is sent, cut into records; a buffer of
	 * that size went out as one full record and one of a few hundred bytes, each with its own AES-GCM pass and
	 * system call, and a second read on the client. Two whole records leave nothing over. Every open connection
	 * holds both buffers, so they stay small: hundreds of connections must fit in a small heap.
	 */
	@Bean
	TomcatConnectorCustomizer recordSizedSocketBuffers() {
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", "16384");
			connector.setProperty("socket.appWriteBufSize", Integer.toString(2 * TLS_RECORD_DATA));
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
