package org.statemigration.smp.console;

import org.junit.jupiter.api.Test;

import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.IntegrationTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Without {@code smp.oidc.enabled} (the default) the console offers no sign-in with a provider, and its paths are
 * refused like any path that no chain serves.
 */
@IntegrationTest
class ProviderSignInDisabledIntegrationTests extends AdminApiTestSupport {

	@Test
	void theSignInPageOffersNoProviderAndItsPathsAreRefused() {
		ConsoleClient anonymous = new ConsoleClient(this.server);
		Page login = anonymous.get("/login");
		assertThat(login.status()).isEqualTo(200);
		assertThat(login.body()).doesNotContain("sign-in-with-provider").doesNotContain("/oauth2/authorization");

		// what no chain serves: 401 without credentials, as on every path outside the console
		assertThat(anonymous.get("/oauth2/authorization/oidc").status()).isEqualTo(401);
		assertThat(anonymous.get("/login/oauth2/code/oidc?code=x&state=y").status()).isEqualTo(401);
	}

}
