package org.statemigration.smp.association;

import java.util.UUID;

import org.statemigration.smp.crypto.WrappedSecretColumn;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Declares the wrapped encryption keys of associations (the recovery information), for key rotation. */
@Configuration(proxyBeanMethods = false)
class AssociationWrappedSecrets {

	@Bean
	WrappedSecretColumn wrappedAssociationKeys() {
		return new WrappedSecretColumn("association keys", "computer_association", "id", "encryption_key_wrapped",
				(id) -> ComputerAssociations.keyContext((UUID) id));
	}

}
