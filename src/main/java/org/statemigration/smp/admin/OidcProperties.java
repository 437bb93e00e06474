package org.statemigration.smp.admin;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operators' sign-in to the console with the organisation's OpenID Connect provider ({@code smp.oidc.*}), off by
 * default. Nothing is asked of the provider at startup: its discovery document is read at the first sign-in with it
 * (and again after a failure), so that a provider that is down leaves the server starting and local sign-in working.
 * @param enabled whether the console offers sign-in with the provider
 * @param issuerUri the provider's issuer, whose {@code /.well-known/openid-configuration} describes it
 * @param clientId smp's client at the provider
 * @param clientSecret that client's secret (never logged)
 * @param displayName the provider's name on the sign-in page ("Sign in with ...")
 * @param scopes the scopes asked for; {@code openid} among them
 * @param rolesClaim the claim (of the ID token or the user info) whose values are mapped to roles, e.g.
 * {@code groups} or {@code roles}; a list of strings or one string
 * @param usernameClaim the claim that names the operator in smp (audit log, console), {@code sub} when missing;
 * the name is prefixed with {@value ProviderSignIn#NAME_PREFIX}, so that it never names a local account
 * @param roleMapping each value of the roles claim and the roles it gives; values not listed give none, and an
 * operator with no role is refused
 * @param discoveryTimeout how long reading the discovery document may take
 * @param localAccounts with the provider enabled, the only local accounts that may still sign in (on the console
 * and the API), the break-glass accounts; every other local account is refused as a wrong password is. Empty (the
 * default): every local account may sign in
 * @param apiAudience the audience ({@code aud}) of the provider's access tokens that the admin API takes beside
 * HTTP Basic; unset (the default), the API takes none
 * @param clockSkew how far an access token's times ({@code exp}, {@code nbf}) may be off
 * @param connectTimeout how long connecting to the provider's token, key (JWK set) and user-info endpoints may take
 * @param readTimeout how long the provider may take to answer on those endpoints once connected (each read): a
 * provider that hangs fails the sign-in or the token after this, instead of holding the request
 */
@ConfigurationProperties("smp.oidc")
public record OidcProperties(@DefaultValue("false") boolean enabled, URI issuerUri, String clientId,
		String clientSecret, @DefaultValue("your organisation") String displayName,
		@DefaultValue({ "openid", "profile" }) List<String> scopes, @DefaultValue("groups") String rolesClaim,
		@DefaultValue("preferred_username") String usernameClaim, Map<String, Set<Role>> roleMapping,
		@DefaultValue("PT10S") Duration discoveryTimeout, List<String> localAccounts, String apiAudience,
		@DefaultValue("PT60S") Duration clockSkew, @DefaultValue("PT5S") Duration connectTimeout,
		@DefaultValue("PT10S") Duration readTimeout) {

	public OidcProperties {
		roleMapping = (roleMapping != null) ? Map.copyOf(roleMapping) : Map.of();
		localAccounts = (localAccounts != null)
				? localAccounts.stream().map(String::strip).map((name) -> name.toLowerCase(Locale.ROOT)).toList()
				: List.of();
		if (localAccounts.stream().anyMatch(String::isEmpty)) {
			throw new IllegalArgumentException("smp.oidc.local-accounts names an empty account");
		}
		if (enabled) {
			require(issuerUri != null, "smp.oidc.issuer-uri");
			require(clientId != null && !clientId.isBlank(), "smp.oidc.client-id");
			require(clientSecret != null && !clientSecret.isBlank(), "smp.oidc.client-secret");
			require(!roleMapping.isEmpty(), "smp.oidc.role-mapping");
			require(scopes.contains("openid"), "smp.oidc.scopes with openid");
			require(rolesClaim != null && !rolesClaim.isBlank(), "smp.oidc.roles-claim");
			if (clockSkew.isNegative()) {
				throw new IllegalArgumentException("smp.oidc.clock-skew must not be negative");
			}
			requirePositive(discoveryTimeout, "smp.oidc.discovery-timeout");
			requirePositive(connectTimeout, "smp.oidc.connect-timeout");
			requirePositive(readTimeout, "smp.oidc.read-timeout");
		}
	}

	/**
	 * Whether the local account {@code username} may sign in: always, unless the provider is enabled and
	 * {@code local-accounts} names other accounts only.
	 */
	public boolean localSignInAllowed(String username) {
		return !this.enabled || this.localAccounts.isEmpty()
				|| (username != null && this.localAccounts.contains(username.toLowerCase(Locale.ROOT)));
	}

	/** Whether the admin API takes the provider's access tokens. */
	public boolean acceptsAccessTokens() {
		return this.enabled && this.apiAudience != null && !this.apiAudience.isBlank();
	}

	private static void requirePositive(Duration duration, String what) {
		if (duration.isNegative() || duration.isZero()) {
			throw new IllegalArgumentException(what + " must be positive");
		}
	}

	private static void require(boolean given, String what) {
		if (!given) {
			throw new IllegalArgumentException("smp.oidc.enabled=true needs " + what);
		}
	}

	/** Never shows the client secret. */
	@Override
	public String toString() {
		return "OidcProperties[enabled=" + this.enabled + ", issuerUri=" + this.issuerUri + ", clientId="
				+ this.clientId + ", displayName=" + this.displayName + ", rolesClaim=" + this.rolesClaim
				+ ", roleMapping=" + this.roleMapping + ", localAccounts=" + this.localAccounts + ", apiAudience="
				+ this.apiAudience + "]";
	}

}
