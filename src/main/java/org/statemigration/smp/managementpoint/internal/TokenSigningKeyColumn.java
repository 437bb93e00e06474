package org.statemigration.smp.managementpoint.internal;

import org.statemigration.smp.crypto.WrappedSecretColumn;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the wrapped token-signing keys, for key rotation. */
@Configuration(proxyBeanMethods = false)
class TokenSigningKeyColumn {

	@Bean
	WrappedSecretColumn wrappedTokenSigningKeys() {
		return new WrappedSecretColumn("token-signing keys", "token_signing_key", "kid", "private_key_wrapped",
				(kid) -> TokenSigningKeys.context((String) kid));
	}

}
