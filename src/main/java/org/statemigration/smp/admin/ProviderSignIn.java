package org.statemigration.smp.admin;

import java.util.List;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.client.endpoint.OAuth2AccessTokenResponseClient;
import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;

/**
 * Operators' sign-in with the organisation's OpenID Connect provider ({@link OidcProperties}), as the console's
 * security rules use it. There is such a bean only with {@code smp.oidc.enabled=true}.
 */
public interface ProviderSignIn {

	/** The client registration's id: the console's sign-in starts at {@code /oauth2/authorization/oidc}. */
	String REGISTRATION_ID = "oidc";

	/** The prefix of the names of operators signed in with the provider: no local account can have it. */
	String NAME_PREFIX = "oidc:";

	/** The error code of a sign-in refused because the provider's claims map to no role of smp. */
	String NO_ROLE = "smp_no_role";

	/** The provider's name on the sign-in page. */
	String displayName();

	/** The provider's registration, read from its discovery document when it is first asked for. */
	ClientRegistrationRepository registrations();

	/**
	 * Whether the provider's discovery document has been read: if it has not, it is read now (unless that failed
	 * moments ago), within {@code smp.oidc.discovery-timeout}.
	 */
	boolean reachable();

	/**
	 * Who signed in, with the roles mapped from the provider's claims at this sign-in; a sign-in whose claims map to
	 * no role fails with the error code {@link #NO_ROLE}.
	 */
	OAuth2UserService<OidcUserRequest, OidcUser> operators();

	/**
	 * Fetches the tokens of a console sign-in from the provider's token endpoint, within
	 * {@code smp.oidc.connect-timeout} and {@code smp.oidc.read-timeout}.
	 */
	OAuth2AccessTokenResponseClient<OAuth2AuthorizationCodeGrantRequest> tokens();

	/**
	 * Checks the ID token of a console sign-in as Spring's OIDC login does, with the provider's keys fetched within
	 * {@code smp.oidc.connect-timeout} and {@code smp.oidc.read-timeout}.
	 */
	JwtDecoderFactory<ClientRegistration> idTokens();

	/** Records a sign-in with the provider in the audit log, with the provider, the subject and the roles. */
	void signedIn(Authentication authentication);

	/** Records a failed or refused sign-in with the provider in the audit log. */
	void failed(AuthenticationException failure);

	/**
	 * The operators who signed in to the console with the provider, the latest first (at most a thousand): who
	 * they are there, and the roles of their last sign-in.
	 */
	List<ProviderOperator> signedInOperators();

	/** Whether the admin API takes the provider's access tokens ({@code smp.oidc.api-audience} is set). */
	boolean acceptsAccessTokens();

	/**
	 * Checks the provider's access tokens: its signature (the provider's keys, read when first needed), issuer,
	 * audience ({@code smp.oidc.api-audience}) and times; an ID token is not an access token.
	 */
	JwtDecoder accessTokens();

	/**
	 * The operator of an access token, with the roles mapped from its claims as at a sign-in; a token whose claims
	 * map to no role is refused (and the refusal recorded).
	 */
	Converter<Jwt, AbstractAuthenticationToken> apiOperators();

}
