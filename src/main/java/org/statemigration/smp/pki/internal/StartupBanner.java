package org.statemigration.smp.pki.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Tells the operator, once the server is up, where to reach it and which certificate fingerprint clients should pin.
 * Nothing secret is logged.
 */
@Component
class StartupBanner {

	private static final Log logger = LogFactory.getLog(StartupBanner.class);

	private final TlsMaterial tlsMaterial;

	private final Environment environment;

	StartupBanner(TlsMaterial tlsMaterial, Environment environment) {
		this.tlsMaterial = tlsMaterial;
		this.environment = environment;
	}

	@EventListener
	void announce(ApplicationReadyEvent event) {
		if (!(event.getApplicationContext() instanceof WebServerApplicationContext context)
				|| context.getWebServer() == null) {
			return;
		}
		logger.info("smp is listening on https://" + host() + ":" + context.getWebServer().getPort() + "/");
		logger.info("TLS certificate SHA-256 fingerprint: " + this.tlsMaterial.serverCertificateFingerprint());
		logger.info("Data directory: " + this.tlsMaterial.dataDirectory());
	}

	private String host() {
		String address = this.environment.getProperty("server.address");
		if (address != null && !address.isBlank()) {
			try {
				if (!InetAddress.getByName(address).isAnyLocalAddress()) {
					return address.contains(":") ? "[" + address + "]" : address;
				}
			}
			catch (UnknownHostException ex) {
				return address;
			}
		}
		String hostName = TlsBootstrap.hostName();
		return (hostName != null) ? hostName : "localhost";
	}

}
