package org.statemigration.smp.pki.internal;

import org.statemigration.smp.crypto.WrappedSecretColumn;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the wrapped client CA key, for key rotation. */
@Configuration(proxyBeanMethods = false)
class ClientCaKeyColumn {

	@Bean
	WrappedSecretColumn wrappedClientCaKey() {
		return new WrappedSecretColumn("client CA key", "client_ca", "id", "private_key_wrapped",
				(id) -> CertificateAuthorityFiles.WRAPPING_CONTEXT);
	}

}
