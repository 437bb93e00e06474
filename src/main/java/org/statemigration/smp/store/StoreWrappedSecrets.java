package org.statemigration.smp.store;

import java.util.UUID;

import org.statemigration.smp.crypto.WrappedSecretColumn;
import org.statemigration.smp.store.internal.VersionKeys;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the wrapped data keys of state stores, for key rotation. */
@Configuration(proxyBeanMethods = false)
class StoreWrappedSecrets {

	@Bean
	WrappedSecretColumn wrappedDataKeys() {
		return new WrappedSecretColumn("data keys", "state_store", "id", "data_key_wrapped",
				(id) -> VersionKeys.context((UUID) id));
	}

}
