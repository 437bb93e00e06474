package org.statemigration.smp.admin.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.admin.OidcProperties;
import org.statemigration.smp.admin.ProviderOperator;
import org.statemigration.smp.admin.ProviderSignIn;
import org.statemigration.smp.admin.Role;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.audit.AuditUnavailableException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.convert.converter.Converter;
import org.springframework.dao.DataAccessException;
import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.http.converter.FormHttpMessageConverter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.endpoint.RestClientAuthorizationCodeTokenResponseClient;
import org.springframework.security.oauth2.client.http.OAuth2ErrorResponseErrorHandler;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenDecoderFactory;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.userinfo.DefaultOAuth2UserService;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.core.http.converter.OAuth2AccessTokenResponseHttpMessageConverter;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

/**
 * Sign-in with the organisation's OpenID provider ({@code smp.oidc.*}). The provider's registration is read from
 * its discovery document at the first sign-in with it, not at startup, and kept once read; after a failure it is
 * tried again at the next sign-in, but not sooner than {@link #RETRY_AFTER_FAILURE}, so that a provider that is down
 * does not hold every click for the whole timeout. The roles come from the provider's claims at every sign-in,
 * through {@code smp.oidc.role-mapping}; nothing of the provider's is stored.
 * <p>
 * Every call to the provider is bounded: the discovery document by {@code smp.oidc.discovery-timeout}, its token,
 * key (JWK set) and user-info endpoints by {@code smp.oidc.connect-timeout} and {@code smp.oidc.read-timeout}.
 * Spring's defaults wait for ever, so a provider that accepts connections and never answers would otherwise hold
 * a request thread per sign-in or bearer request.
 */
@Component
@ConditionalOnProperty(prefix = "smp.oidc", name = "enabled", havingValue = "true")
class OidcSignIn implements ProviderSignIn {

	private static final Log logger = LogFactory.getLog(OidcSignIn.class);

	static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);

	private static final int MAX_CLAIM_VALUES_SHOWN = 20;

	private static final JsonMapper json = JsonMapper.builder().build();

	private final OidcProperties properties;

	private final AuditLog audit;

	private final Clock clock;

	private final OidcUserService users = new OidcUserService();

	/** The HTTP requests to the provider's token, key and user-info endpoints, with smp's timeouts. */
	private final SimpleClientHttpRequestFactory providerRequests = new SimpleClientHttpRequestFactory();

	private final RestClientAuthorizationCodeTokenResponseClient tokens =
			new RestClientAuthorizationCodeTokenResponseClient();

	private volatile JwtDecoder idTokenDecoder;

	private final HttpClient http;

	private final Registrations registrations = new Registrations();

	private volatile ClientRegistration registration;

	private volatile Instant lastFailure;

	private volatile JwtDecoder accessTokenDecoder;

	private final ProviderOperatorRepository signedIn;

	OidcSignIn(OidcProperties properties, AuditLog audit, Clock clock, ProviderOperatorRepository signedIn) {
		this.properties = properties;
		this.audit = audit;
		this.clock = clock;
		this.signedIn = signedIn;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.discoveryTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.providerRequests.setConnectTimeout(properties.connectTimeout());
		this.providerRequests.setReadTimeout(properties.readTimeout());
		if (properties.acceptsAccessTokens() && properties.apiAudience().equals(properties.clientId())) {
			logger.warn("smp.oidc.api-audience is the console's client id, the audience of the provider's ID tokens "
					+ "for the console too: an access token is then told from an ID token by the ID token's nonce "
					+ "alone. Give the API an audience of its own (docs/sso.md)");
		}
		RestTemplate tokenRequests = new RestTemplate(
				List.of(new FormHttpMessageConverter(), new OAuth2AccessTokenResponseHttpMessageConverter()));
		tokenRequests.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
		tokenRequests.setRequestFactory(this.providerRequests);
		this.tokens.setRestClient(RestClient.create(tokenRequests));
		RestTemplate userInfoRequests = new RestTemplate(this.providerRequests);
		userInfoRequests.setErrorHandler(new OAuth2ErrorResponseErrorHandler());
		DefaultOAuth2UserService userInfo = new DefaultOAuth2UserService();
		userInfo.setRestOperations(userInfoRequests);
		this.users.setOauth2UserService(userInfo);
	}

	@Override
	public String displayName() {
		return this.properties.displayName();
	}

	@Override
	public ClientRegistrationRepository registrations() {
		return this.registrations;
	}

	@Override
	public boolean reachable() {
		return registration() != null;
	}

	private ClientRegistration registration() {
		ClientRegistration known = this.registration;
		if (known != null) {
			return known;
		}
		synchronized (this) {
			if (this.registration != null) {
				return this.registration;
			}
			Instant failed = this.lastFailure;
			if (failed != null && failed.plus(RETRY_AFTER_FAILURE).isAfter(this.clock.instant())) {
				return null;
			}
			try {
				this.registration = discover();
				this.lastFailure = null;
				logger.info("Read the OpenID provider's configuration from " + this.properties.issuerUri());
				return this.registration;
			}
			catch (IOException | RuntimeException ex) {
				this.lastFailure = this.clock.instant();
				logger.warn("The OpenID provider " + this.properties.issuerUri() + " cannot be used now: " + message(ex));
				return null;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return null;
			}
		}
	}

	/** The provider's registration from its discovery document, whose issuer must be the one configured. */
	private ClientRegistration discover() throws IOException, InterruptedException {
		String issuer = this.properties.issuerUri().toString();
		URI document = URI.create(issuer.replaceAll("/+$", "") + "/.well-known/openid-configuration");
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(document).timeout(this.properties.discoveryTimeout()).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(document + " answered " + response.statusCode());
		}
		Map<String, Object> configuration;
		try {
			configuration = json.readValue(response.body(), json.getTypeFactory()
				.constructMapType(Map.class, String.class, Object.class));
		}
		catch (JacksonException ex) {
			throw new IOException(document + " is not JSON");
		}
		if (!issuer.equals(configuration.get("issuer"))) {
			throw new IOException("The issuer of " + document + " is " + configuration.get("issuer") + ", not "
					+ issuer);
		}
		return ClientRegistrations.fromOidcConfiguration(configuration)
			.registrationId(REGISTRATION_ID)
			.clientId(this.properties.clientId())
			.clientSecret(this.properties.clientSecret())
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.clientName(this.properties.displayName())
			.scope(this.properties.scopes())
			.redirectUri("{baseUrl}/login/oauth2/code/{registrationId}")
			.userNameAttributeName("sub")
			.clientSettings(ClientRegistration.ClientSettings.builder().requireProofKey(true).build())
			.build();
	}

	private static String message(Throwable ex) {
		String message = ex.getMessage();
		return ex.getClass().getSimpleName() + ((message != null) ? ": " + message : "");
	}

	@Override
	public OAuth2UserService<OidcUserRequest, OidcUser> operators() {
		return this::operator;
	}

	@Override
	public OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokens() {
		return this.tokens;
	}

	@Override
	public JwtDecoderFactory<ClientRegistration> idTokens() {
		return this::idTokenDecoder;
	}

	/**
	 * What Spring's {@link OidcIdTokenDecoderFactory} builds (RS256 by the provider's keys, the ID token's claims
	 * checked for this client), with smp's timeouts on the key fetch. There is one registration, so one decoder.
	 */
	private JwtDecoder idTokenDecoder(ClientRegistration known) {
		JwtDecoder decoder = this.idTokenDecoder;
		if (decoder == null) {
			NimbusJwtDecoder nimbus = providerKeys(known);
			nimbus.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(),
					new OidcIdTokenValidator(known)));
			nimbus.setClaimSetConverter(OidcIdTokenDecoderFactory.createDefaultClaimTypeConverter());
			decoder = nimbus;
			this.idTokenDecoder = decoder;
		}
		return decoder;
	}

	private NimbusJwtDecoder providerKeys(ClientRegistration known) {
		return NimbusJwtDecoder.withJwkSetUri(known.getProviderDetails().getJwkSetUri())
			.restOperations(new RestTemplate(this.providerRequests))
			.build();
	}

	private OidcUser operator(OidcUserRequest request) {
		OidcUser user = this.users.loadUser(request);
		String name = NAME_PREFIX + nameOf(user);
		Set<String> values = claimValues(user.getClaims().get(this.properties.rolesClaim()));
		EnumSet<Role> roles = EnumSet.noneOf(Role.class);
		for (String value : values) {
			roles.addAll(this.properties.roleMapping().getOrDefault(value, Set.of()));
		}
		if (roles.isEmpty()) {
			String description = name + " (subject " + user.getSubject() + "): no role of smp in the claim "
					+ this.properties.rolesClaim() + " " + shown(values);
			throw new NoRole(name, description);
		}
		List<GrantedAuthority> authorities = roles.stream()
			.map((role) -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority()))
			.toList();
		return new ProviderUser(name, authorities, user.getIdToken(), user.getUserInfo());
	}

	private String nameOf(OidcUser user) {
		Object name = user.getClaims().get(this.properties.usernameClaim());
		return (name instanceof String text && !text.isBlank()) ? text : user.getSubject();
	}

	/** A claim's values: a list of strings, or one string. */
	static Set<String> claimValues(Object claim) {
		Set<String> values = new LinkedHashSet<>();
		if (claim instanceof Collection<?> many) {
			for (Object value : many) {
				if (value != null) {
					values.add(value.toString());
				}
			}
		}
		else if (claim != null) {
			values.add(claim.toString());
		}
		return values;
	}

	private static String shown(Set<String> values) {
		if (values.isEmpty()) {
			return "(none)";
		}
		String shown = values.stream().limit(MAX_CLAIM_VALUES_SHOWN).collect(Collectors.joining(", ", "[", ""));
		return shown + ((values.size() > MAX_CLAIM_VALUES_SHOWN) ? ", ...]" : "]");
	}

	@Override
	public void signedIn(Authentication authentication) {
		String name = authentication.getName();
		String subject = (authentication.getPrincipal() instanceof OidcUser user) ? user.getSubject() : "?";
		String roles = authentication.getAuthorities()
			.stream()
			.map(GrantedAuthority::getAuthority)
			.map((authority) -> authority.replaceFirst("^ROLE_", ""))
			.sorted()
			.collect(Collectors.joining(", "));
		record(name, name, AuditOutcome.SUCCESS, "with " + this.properties.displayName() + " ("
				+ this.properties.issuerUri() + "), subject " + subject + ", roles " + roles);
		EnumSet<Role> granted = EnumSet.noneOf(Role.class);
		for (Role role : Role.values()) {
			if (authentication.getAuthorities().stream().anyMatch((a) -> role.authority().equals(a.getAuthority()))) {
				granted.add(role);
			}
		}
		try {
			this.signedIn.recordSignIn(this.properties.issuerUri().toString(), subject, name, granted,
					this.clock.instant());
		}
		catch (DataAccessException ex) {
			// the operators list is a record; the sign-in does not depend on it
			logger.warn("A sign-in with the OpenID provider could not be recorded in the operators list: "
					+ ex.getClass().getSimpleName());
		}
	}

	@Override
	public List<ProviderOperator> signedInOperators() {
		return this.signedIn.list();
	}

	@Override
	public void failed(AuthenticationException failure) {
		String via = "with " + this.properties.displayName() + " (" + this.properties.issuerUri() + ")";
		if (failure instanceof NoRole refused) {
			record("anonymous", refused.name, AuditOutcome.DENIED, via + ": " + refused.getError().getDescription());
			return;
		}
		String reason = (failure instanceof OAuth2AuthenticationException oauth)
				? oauth.getError().getErrorCode()
						+ ((oauth.getError().getDescription() != null) ? ": " + oauth.getError().getDescription() : "")
				: failure.getClass().getSimpleName();
		record("anonymous", String.valueOf(this.properties.issuerUri()), AuditOutcome.FAILURE, via + ": " + reason);
	}

	private void record(String actor, String target, AuditOutcome outcome, String detail) {
		try {
			this.audit.recordAlone(actor, "sign-in", target, outcome, detail);
		}
		catch (AuditUnavailableException ex) {
			// as for local sign-ins: the answer never depends on the record
			logger.warn("A sign-in with the OpenID provider could not be recorded in the audit log");
		}
	}

	@Override
	public boolean acceptsAccessTokens() {
		return this.properties.acceptsAccessTokens();
	}

	@Override
	public JwtDecoder accessTokens() {
		return this::decodeAccessToken;
	}

	private Jwt decodeAccessToken(String token) {
		JwtDecoder decoder = this.accessTokenDecoder;
		if (decoder == null) {
			ClientRegistration known = registration();
			if (known == null) {
				throw new BadJwtException("The OpenID provider cannot be reached to check the token");
			}
			decoder = accessTokenDecoder(known);
			this.accessTokenDecoder = decoder;
		}
		try {
			return decoder.decode(token);
		}
		catch (BadJwtException ex) {
			throw ex;
		}
		catch (JwtException ex) {
			// the provider's keys could not be read (down, hanging past the timeouts): refused like any token that
			// cannot be checked, rather than answered as a failure of smp
			logger.warn("An access token could not be checked, the OpenID provider's keys cannot be read: "
					+ message((ex.getCause() != null) ? ex.getCause() : ex));
			throw new BadJwtException("The OpenID provider's keys cannot be read to check the token", ex);
		}
	}

	/**
	 * The provider's keys (its JWK set, fetched when first needed and again for a key it does not know), its
	 * issuer, the audience of smp's API, the token's times within {@code smp.oidc.clock-skew}, and no
	 * {@code nonce}: an ID token, which carries one, is not taken for an access token.
	 */
	private JwtDecoder accessTokenDecoder(ClientRegistration known) {
		NimbusJwtDecoder decoder = providerKeys(known);
		String audience = this.properties.apiAudience();
		List<OAuth2TokenValidator<Jwt>> validators = List.of(
				new JwtTimestampValidator(this.properties.clockSkew()),
				new JwtIssuerValidator(this.properties.issuerUri().toString()),
				new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
						(aud) -> aud != null && aud.contains(audience)),
				(jwt) -> jwt.hasClaim("nonce")
						? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "An ID token", null))
						: OAuth2TokenValidatorResult.success());
		decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
		return decoder;
	}

	@Override
	public Converter<Jwt, AbstractAuthenticationToken> apiOperators() {
		return this::apiOperator;
	}

	private AbstractAuthenticationToken apiOperator(Jwt jwt) {
		Object named = jwt.getClaims().get(this.properties.usernameClaim());
		String name = NAME_PREFIX + ((named instanceof String text && !text.isBlank()) ? text : jwt.getSubject());
		Set<String> values = claimValues(jwt.getClaims().get(this.properties.rolesClaim()));
		EnumSet<Role> roles = EnumSet.noneOf(Role.class);
		for (String value : values) {
			roles.addAll(this.properties.roleMapping().getOrDefault(value, Set.of()));
		}
		if (roles.isEmpty()) {
			String description = name + " (subject " + jwt.getSubject() + "): no role of smp in the claim "
					+ this.properties.rolesClaim() + " " + shown(values);
			record("anonymous", name, AuditOutcome.DENIED, "access token of " + this.properties.displayName() + " ("
					+ this.properties.issuerUri() + "): " + description);
			throw new InvalidBearerTokenException("The token gives no role of smp");
		}
		List<GrantedAuthority> authorities = roles.stream()
			.map((role) -> (GrantedAuthority) new SimpleGrantedAuthority(role.authority()))
			.toList();
		return new JwtAuthenticationToken(jwt, authorities, name);
	}

	/** A sign-in whose claims map to no role: refused. */
	private static final class NoRole extends OAuth2AuthenticationException {

		private static final long serialVersionUID = 1L;

		private final String name;

		NoRole(String name, String description) {
			super(new OAuth2Error(NO_ROLE, description, null), description);
			this.name = name;
		}

	}

	/** The registration, looked up when a sign-in asks for it. */
	private final class Registrations implements ClientRegistrationRepository {

		@Override
		public ClientRegistration findByRegistrationId(String registrationId) {
			return REGISTRATION_ID.equals(registrationId) ? registration() : null;
		}

	}

}
