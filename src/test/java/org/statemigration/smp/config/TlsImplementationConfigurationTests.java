package org.statemigration.smp.config;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.jsse.JSSEImplementation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

@ExtendWith(OutputCaptureExtension.class)
class TlsImplementationConfigurationTests {

	private static final String JSSE = JSSEImplementation.class.getName();

	@Test
	void java17ServesWithJsseAndSaysWhy(CapturedOutput output) {
		assertThat(TlsImplementationConfiguration.choose("auto", 17, true)).isEqualTo(JSSE);
		assertThat(output).contains("JSSE serves TLS: Java 17 has no FFM API");
	}

	@Test
	void aJarWithoutTomcatsFfmClassesServesWithJsseAndSaysWhy(CapturedOutput output) {
		assertThat(TlsImplementationConfiguration.choose("auto", 25, false)).isEqualTo(JSSE);
		assertThat(output).contains("JSSE serves TLS: this jar holds no Tomcat FFM classes (tomcat-coyote-ffm)");
	}

	@Test
	void jsseCanBeForcedWhereOpenSslWouldServe(CapturedOutput output) {
		assertThat(TlsImplementationConfiguration.choose(" JSSE ", 25, true)).isEqualTo(JSSE);
		assertThat(output).contains("JSSE serves TLS: smp.tls.implementation=jsse");
	}

	@Test
	void forcedOpenSslRefusesToStartWithoutIt() {
		assertThatIllegalStateException().isThrownBy(() -> TlsImplementationConfiguration.choose("openssl", 17, true))
			.withMessage("smp.tls.implementation=openssl, but OpenSSL cannot serve: Java 17 has no FFM API");
		assertThatIllegalStateException().isThrownBy(() -> TlsImplementationConfiguration.choose("openssl", 25, false))
			.withMessageEndingWith("this jar holds no Tomcat FFM classes (tomcat-coyote-ffm)");
	}

	@Test
	void anUnknownImplementationIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> TlsImplementationConfiguration.choose("boringssl", 25, true))
			.withMessage("smp.tls.implementation must be auto, openssl or jsse, not 'boringssl'");
	}

	@Test
	void theConnectorIsToldItsImplementationAndTheCiphersBothServe() {
		Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
		AbstractHttp11Protocol<?> protocol = (AbstractHttp11Protocol<?>) connector.getProtocolHandler();
		SSLHostConfig defaults = new SSLHostConfig();
		SSLHostConfig chosen = new SSLHostConfig();
		chosen.setHostName("chosen.example");
		chosen.setCiphers("ECDHE-ECDSA-AES256-GCM-SHA384");
		protocol.addSslHostConfig(defaults);
		protocol.addSslHostConfig(chosen);

		new TlsImplementationConfiguration()
			.tlsImplementation(new MockEnvironment().withProperty("smp.tls.implementation", "jsse"))
			.customize(connector);

		assertThat(protocol.getSslImplementationName()).isEqualTo(JSSE);
		assertThat(defaults.getCiphers()).isEqualTo("HIGH:!aNULL:!eNULL:!DES:!RC4:!MD5:!kRSA:!AESCCM:!ARIA:!CAMELLIA");
		assertThat(chosen.getCiphers()).isEqualTo("ECDHE-ECDSA-AES256-GCM-SHA384");
	}

}
