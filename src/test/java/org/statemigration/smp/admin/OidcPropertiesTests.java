package org.statemigration.smp.admin;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class OidcPropertiesTests {

	private static final URI ISSUER = URI.create("https://login.example.com/tenant/v2.0");

	private static final Map<String, Set<Role>> MAPPING = Map.of("smp-admins", Set.of(Role.ADMIN));

	@Test
	void offNeedsNothing() {
		OidcProperties off = properties(false, null, null, null, null);
		assertThat(off.enabled()).isFalse();
		assertThat(off.roleMapping()).isEmpty();
	}

	@Test
	void onNeedsTheIssuerTheClientAndAMapping() {
		assertThat(properties(true, ISSUER, "smp", "secret", MAPPING).enabled()).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> properties(true, null, "smp", "secret", MAPPING))
			.withMessageContaining("smp.oidc.issuer-uri");
		assertThatIllegalArgumentException().isThrownBy(() -> properties(true, ISSUER, " ", "secret", MAPPING))
			.withMessageContaining("smp.oidc.client-id");
		assertThatIllegalArgumentException().isThrownBy(() -> properties(true, ISSUER, "smp", null, MAPPING))
			.withMessageContaining("smp.oidc.client-secret");
		assertThatIllegalArgumentException().isThrownBy(() -> properties(true, ISSUER, "smp", "secret", Map.of()))
			.withMessageContaining("smp.oidc.role-mapping");
	}

	@Test
	void theSecretIsNeverShown() {
		assertThat(properties(true, ISSUER, "smp", "very-secret-value", MAPPING).toString())
			.contains("smp-admins")
			.doesNotContain("very-secret-value");
	}

	@Test
	void namedLocalAccountsAloneMaySignInWhileTheProviderIsEnabled() {
		OidcProperties named = new OidcProperties(true, ISSUER, "smp", "secret", "Example", List.of("openid"),
				"groups", "preferred_username", MAPPING, Duration.ofSeconds(10), List.of(" Admin ", "break-glass"),
				null, Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10));
		assertThat(named.localSignInAllowed("admin")).isTrue();
		assertThat(named.localSignInAllowed("BREAK-GLASS")).isTrue();
		assertThat(named.localSignInAllowed("osd")).isFalse();
		assertThat(named.localSignInAllowed(null)).isFalse();
		// no list: every local account; the provider off: the list does not apply
		assertThat(properties(true, ISSUER, "smp", "secret", MAPPING).localSignInAllowed("osd")).isTrue();
		OidcProperties off = new OidcProperties(false, null, null, null, "Example", List.of("openid"), "groups",
				"preferred_username", Map.of(), Duration.ofSeconds(10), List.of("admin"), null, Duration.ofSeconds(60),
				Duration.ofSeconds(5), Duration.ofSeconds(10));
		assertThat(off.localSignInAllowed("osd")).isTrue();
	}

	private static OidcProperties properties(boolean enabled, URI issuer, String clientId, String secret,
			Map<String, Set<Role>> mapping) {
		return new OidcProperties(enabled, issuer, clientId, secret, "Example", List.of("openid", "profile"), "groups",
				"preferred_username", mapping, Duration.ofSeconds(10), List.of(), null,
				Duration.ofSeconds(60), Duration.ofSeconds(5), Duration.ofSeconds(10));
	}

}
