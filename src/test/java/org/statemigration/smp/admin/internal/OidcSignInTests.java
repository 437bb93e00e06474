package org.statemigration.smp.admin.internal;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OidcSignInTests {

	@Test
	void aClaimIsAListOfValuesOrOneValue() {
		assertThat(OidcSignIn.claimValues(List.of("smp-admins", "staff", "smp-admins"))).containsExactly("smp-admins",
				"staff");
		assertThat(OidcSignIn.claimValues("smp-admins")).containsExactly("smp-admins");
		assertThat(OidcSignIn.claimValues(null)).isEmpty();
	}

}
