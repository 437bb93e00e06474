package org.statemigration.smp.config;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.HttpServletResponse;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.statemigration.smp.admin.ProviderSignIn;
import org.statemigration.smp.admin.Role;
import org.statemigration.smp.audit.AuditLog;
import org.statemigration.smp.audit.AuditOutcome;
import org.statemigration.smp.backup.LocalChannel;
import org.statemigration.smp.pki.ClientCertificates;
import org.statemigration.smp.problem.ProblemType;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.ObjectPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.client.oidc.authentication.OidcAuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.web.OAuth2AuthorizationRequestRedirectFilter;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.AuthenticationFailureHandler;
import org.springframework.security.web.authentication.SavedRequestAwareAuthenticationSuccessHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Seven filter chains. The backup command's local channel: its secret alone, from this machine only. Computers:
 * mutual TLS, stateless, no CSRF (no cookies, no browser). Operators on the API: HTTP Basic, stateless. Actuator:
 * health open (status only), metrics for ADMIN and AUDITOR. The API's OpenAPI document and its UI: HTTP Basic, any
 * operator role. The web console: form sign-in (and, with {@code smp.oidc.enabled}, sign-in with the organisation's
 * OpenID provider), a session, CSRF tokens and strict browser headers. Everything else
 * is refused. On the operators' chains, a path that no endpoint answers is not found rather than refused (see
 * {@link UnknownPaths}). Roles follow the API contract, with ADMIN implying every
 * other role.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	private static final Log logger = LogFactory.getLog(SecurityConfiguration.class);

	private static final String ADMIN = Role.ADMIN.name();

	private static final String OSD_MANAGER = Role.OSD_MANAGER.name();

	private static final String RECOVERY_VIEWER = Role.RECOVERY_VIEWER.name();

	private static final String AUDITOR = Role.AUDITOR.name();

	// no inline script or style anywhere: the console's script and stylesheet come from its own assets
	private static final String CONSOLE_CSP = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	/** Where the console's sign-out leads, at last. */
	private static final String SIGNED_OUT = "/login?signedOut";

	private static final String[] ANY_OPERATOR = { ADMIN, OSD_MANAGER, RECOVERY_VIEWER, AUDITOR };

	/** Every operator's own password: the one endpoint of an operator whose password was reset. */
	private static final RequestMatcher OWN_PASSWORD = PathPatternRequestMatcher.withDefaults()
		.matcher(HttpMethod.POST, "/api/v1/me/password");

	/** What the console still offers an operator whose password was reset. */
	private static final RequestMatcher CONSOLE_WHILE_PASSWORD_RESET = new OrRequestMatcher(
			PathPatternRequestMatcher.withDefaults().matcher("/console/password"),
			PathPatternRequestMatcher.withDefaults().matcher("/logout"),
			PathPatternRequestMatcher.withDefaults().matcher("/login"),
			PathPatternRequestMatcher.withDefaults().matcher("/console/assets/**"));

	/**
	 * A signed-in operator with a local account, the only kind with a password in smp: one signed in with the
	 * OpenID provider is refused the password page as any page their roles do not allow.
	 */
	private static final AuthorizationManager<RequestAuthorizationContext> LOCAL_ACCOUNT = (authentication,
			context) -> {
		Authentication who = authentication.get();
		return new AuthorizationDecision(new AuthenticationTrustResolverImpl().isAuthenticated(who)
				&& !who.getName().startsWith(ProviderSignIn.NAME_PREFIX));
	};

	@Bean
	static RoleHierarchy roleHierarchy() {
		return RoleHierarchyImpl.withDefaultRolePrefix()
			.role(ADMIN)
			.implies(OSD_MANAGER, RECOVERY_VIEWER, AUDITOR)
			.build();
	}

	/**
	 * Requests are observed once, as {@code http_server_requests}, not again for every filter of their chain: on
	 * the small requests of computers the observation of each filter took about a fourteenth of the server's CPU
	 * (docs/benchmarks.md). Authentications and authorizations are still observed.
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.withDefaults().shouldObserveRequests(false).build();
	}

	/**
	 * The local channel of the backup command: its secret alone authenticates (see
	 * {@link LocalChannelAuthenticationFilter}); no other credentials are looked at.
	 */
	@Bean
	@Order(0)
	SecurityFilterChain localChannelSecurity(HttpSecurity http, LocalChannel channel, AuditLog audit) throws Exception {
		http.securityMatcher(LocalChannel.PATHS)
			.authorizeHttpRequests((requests) -> requests.anyRequest().hasAuthority(LocalChannel.AUTHORITY))
			.addFilterBefore(new LocalChannelAuthenticationFilter(channel, audit), AnonymousAuthenticationFilter.class);
		return stateless(http).build();
	}

	@Bean
	@Order(1)
	SecurityFilterChain computerSecurity(HttpSecurity http, ClientCertificates certificates) throws Exception {
		RequestMatcher enrollment = PathPatternRequestMatcher.withDefaults().matcher(HttpMethod.POST, "/api/v1/enrollment");
		http.securityMatcher("/api/v1/enrollment", "/api/v1/enrollment/**", "/api/v1/mp/**", "/api/v1/stores/**",
				"/api/v1/uploads/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers(enrollment)
				.permitAll()
				.anyRequest()
				.hasAuthority(ClientCertificateAuthenticationFilter.COMPUTER_ROLE))
			// enrollment is authenticated by its code alone: a certificate offered on the connection is not looked at
			.addFilterBefore(new ClientCertificateAuthenticationFilter(certificates, enrollment),
					AnonymousAuthenticationFilter.class);
		return stateless(http).build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain operatorSecurity(HttpSecurity http, AuditLog audit, ApplicationContext context,
			ObjectProvider<ProviderSignIn> providers) throws Exception {
		http.securityMatcher("/api/**")
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers(OWN_PASSWORD).authenticated()
				.requestMatchers("/api/v1/admins", "/api/v1/admins/**").hasRole(ADMIN)
				.requestMatchers(HttpMethod.GET, "/api/v1/associations", "/api/v1/associations/*").hasAnyRole(ANY_OPERATOR)
				.requestMatchers(HttpMethod.POST, "/api/v1/associations").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.POST, "/api/v1/associations/import").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.DELETE, "/api/v1/associations/*").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.GET, "/api/v1/computers", "/api/v1/computers/*").hasAnyRole(ANY_OPERATOR)
				.requestMatchers(HttpMethod.POST, "/api/v1/computers/*/enrollment-codes").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.PUT, "/api/v1/computers/*/identity").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.POST, "/api/v1/certificates/*/block").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.PUT, "/api/v1/associations/*/legal-hold").hasRole(ADMIN)
				.requestMatchers(HttpMethod.POST, "/api/v1/associations/*/recovery-information").hasRole(RECOVERY_VIEWER)
				.requestMatchers(HttpMethod.POST, "/api/v1/associations/*/reassign").hasRole(RECOVERY_VIEWER)
				.requestMatchers(HttpMethod.GET, "/api/v1/audit", "/api/v1/audit/verify").hasRole(AUDITOR)
				.requestMatchers(HttpMethod.GET, "/api/v1/settings").hasAnyRole(ANY_OPERATOR)
				.requestMatchers(HttpMethod.PATCH, "/api/v1/settings").hasRole(ADMIN)
				.requestMatchers(HttpMethod.GET, "/api/v1/storage").hasAnyRole(ANY_OPERATOR)
				.requestMatchers(HttpMethod.GET, "/api/v1/reports/migration-status").hasAnyRole(ANY_OPERATOR)
				.requestMatchers(HttpMethod.GET, "/api/v1/scrub").hasRole(AUDITOR)
				.requestMatchers(HttpMethod.POST, "/api/v1/scrub/stores/*/check").hasRole(ADMIN)
				.anyRequest().access(new UnknownPaths(context)))
			.httpBasic((basic) -> basic.authenticationEntryPoint(basicChallenge()))
			.addFilterBefore(new PasswordChangeRequiredFilter(OWN_PASSWORD, null), AuthorizationFilter.class);
		acceptAccessTokens(http, providers);
		return stateless(http)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(basicChallenge())
				.accessDeniedHandler(auditedForbidden(audit)))
			.build();
	}

	@Bean
	@Order(3)
	SecurityFilterChain actuatorSecurity(HttpSecurity http, ObjectProvider<ProviderSignIn> providers) throws Exception {
		http.securityMatcher(EndpointRequest.toAnyEndpoint())
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
				.permitAll()
				.requestMatchers(EndpointRequest.to("prometheus"))
				.hasAnyRole(ADMIN, AUDITOR)
				.anyRequest()
				.denyAll())
			.httpBasic((basic) -> basic.authenticationEntryPoint(basicChallenge()));
		acceptAccessTokens(http, providers);
		return stateless(http).exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(basicChallenge()))
			.build();
	}

	/**
	 * The API's OpenAPI document and its browsable UI (springdoc): for operators of any role, with HTTP Basic as on
	 * the API, stateless. The UI's own assets are served under the same paths and need the same sign-in, so the
	 * document opens nothing to anonymous callers; a computer's client certificate is not looked at here.
	 */
	@Bean
	@Order(4)
	SecurityFilterChain apiDocumentationSecurity(HttpSecurity http, AuditLog audit,
			ObjectProvider<ProviderSignIn> providers) throws Exception {
		http.securityMatcher(OpenApiConfiguration.PATHS)
			.authorizeHttpRequests((requests) -> requests.requestMatchers(HttpMethod.GET, OpenApiConfiguration.PATHS)
				.hasAnyRole(ANY_OPERATOR)
				.anyRequest()
				.denyAll())
			.httpBasic((basic) -> basic.authenticationEntryPoint(basicChallenge()));
		acceptAccessTokens(http, providers);
		return stateless(http)
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(basicChallenge())
				.accessDeniedHandler(auditedForbidden(audit)))
			.build();
	}

	/**
	 * The operators' web console: a sign-in form against the same operator accounts (same lockout, same sign-in
	 * audit), a session cookie, CSRF tokens on every form, and strict browser headers. The roles follow the API's
	 * rules for the same actions; what is not listed is refused.
	 */
	@Bean
	@Order(5)
	SecurityFilterChain consoleSecurity(HttpSecurity http, AuditLog audit, ApplicationContext context,
			ObjectProvider<ProviderSignIn> providers) throws Exception {
		ProviderSignIn provider = providers.getIfAvailable();
		List<String> paths = new ArrayList<>(List.of("/", "/login", "/logout", "/console", "/console/**", "/favicon.ico"));
		if (provider != null) {
			paths.addAll(List.of(ProviderSignInFilter.START, ProviderSignInFilter.RETURN));
		}
		http.securityMatcher(paths.toArray(String[]::new))
			.authorizeHttpRequests((requests) -> requests
				.requestMatchers("/login", "/console/assets/**").permitAll()
				.requestMatchers(HttpMethod.GET, ProviderSignInFilter.START, ProviderSignInFilter.RETURN).permitAll()
				.requestMatchers(HttpMethod.GET, "/favicon.ico").permitAll()
				.requestMatchers("/console/password").access(LOCAL_ACCOUNT)
				.requestMatchers(HttpMethod.GET, "/console/associations/new").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.POST, "/console/associations").hasRole(OSD_MANAGER)
				.requestMatchers("/console/associations/import").hasRole(OSD_MANAGER)
				.requestMatchers("/console/associations/*/delete").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.POST, "/console/associations/*/legal-hold").hasRole(ADMIN)
				.requestMatchers(HttpMethod.POST, "/console/associations/*/recovery-information",
						"/console/associations/*/reassign").hasRole(RECOVERY_VIEWER)
				.requestMatchers(HttpMethod.POST, "/console/computers/*/enrollment-codes",
						"/console/certificates/*/block").hasRole(OSD_MANAGER)
				.requestMatchers(HttpMethod.POST, "/console/computers/*/identity").hasRole(OSD_MANAGER)
				.requestMatchers("/console/settings", "/console/operators", "/console/operators/**").hasRole(ADMIN)
				.requestMatchers(HttpMethod.GET, "/console/audit", "/console/audit/verify").hasRole(AUDITOR)
				.requestMatchers(HttpMethod.GET, "/", "/console", "/console/associations", "/console/associations/*",
						"/console/computers", "/console/computers/*").hasAnyRole(ANY_OPERATOR)
				.requestMatchers(HttpMethod.GET, "/console/reports", "/console/reports/*").hasAnyRole(ANY_OPERATOR)
				.anyRequest().access(new UnknownPaths(context)))
			.formLogin((form) -> form.loginPage("/login").defaultSuccessUrl("/console").failureHandler(consoleSignInFailed()))
			.logout((logout) -> logout.logoutUrl("/logout").logoutSuccessUrl(SIGNED_OUT))
			.headers((headers) -> headers
				.contentSecurityPolicy((csp) -> csp.policyDirectives(CONSOLE_CSP))
				.frameOptions((frames) -> frames.deny())
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER))
				.httpStrictTransportSecurity((hsts) -> hsts.includeSubDomains(true).maxAgeInSeconds(31_536_000)))
			.exceptionHandling((exceptions) -> exceptions.accessDeniedHandler(consoleForbidden(audit)))
			.addFilterBefore(new PasswordChangeRequiredFilter(CONSOLE_WHILE_PASSWORD_RESET, "/console/password"),
					AuthorizationFilter.class);
		if (provider != null) {
			providerSignIn(http, provider);
		}
		return http.build();
	}

	/**
	 * Sign-in with the organisation's OpenID provider beside the form (authorization code with PKCE): the roles
	 * come from the provider's claims at every sign-in (see {@link ProviderSignIn}); every sign-in, refusal and
	 * failure is recorded in the audit log; the provider's tokens are kept nowhere.
	 */
	private static void providerSignIn(HttpSecurity http, ProviderSignIn provider) throws Exception {
		SavedRequestAwareAuthenticationSuccessHandler toConsole = new SavedRequestAwareAuthenticationSuccessHandler();
		toConsole.setDefaultTargetUrl("/console");
		http.oauth2Login((login) -> login.loginPage("/login")
			.clientRegistrationRepository(provider.registrations())
			.authorizedClientRepository(new NoAuthorizedClients())
			.tokenEndpoint((tokens) -> tokens.accessTokenResponseClient(provider.tokens()))
			.userInfoEndpoint((users) -> users.oidcUserService(provider.operators()))
			// the ID token's keys are fetched with smp's timeouts too
			.withObjectPostProcessor(new ObjectPostProcessor<OidcAuthorizationCodeAuthenticationProvider>() {
				@Override
				public <O extends OidcAuthorizationCodeAuthenticationProvider> O postProcess(O oidc) {
					oidc.setJwtDecoderFactory(provider.idTokens());
					return oidc;
				}
			})
			.successHandler((request, response, authentication) -> {
				provider.signedIn(authentication);
				toConsole.onAuthenticationSuccess(request, response, authentication);
			})
			.failureHandler((request, response, ex) -> {
				provider.failed(ex);
				boolean refused = ex instanceof OAuth2AuthenticationException oauth
						&& ProviderSignIn.NO_ROLE.equals(oauth.getError().getErrorCode());
				response.sendRedirect(request.getContextPath()
						+ (refused ? "/login?providerRefused" : "/login?providerFailed"));
			}))
			.addFilterBefore(new ProviderSignInFilter(provider), OAuth2AuthorizationRequestRedirectFilter.class)
			.logout((logout) -> logout.logoutSuccessHandler(providerSignOut(provider)));
	}

	/**
	 * Signing out of the console, with the provider enabled: smp's session ends first, as for everyone; an operator
	 * who signed in with the provider is then sent to the provider's {@code end_session_endpoint} (OpenID Connect
	 * RP-initiated logout, with the ID token as {@code id_token_hint}), which ends their session there and sends
	 * the browser back to smp's sign-in page. A local operator, or a provider whose discovery document names no
	 * such endpoint, goes straight to the sign-in page. The provider is reached through a page of smp's, not a
	 * redirect: the console's policy allows forms to submit to smp alone ({@code form-action 'self'}), and a
	 * browser holds the sign-out form's redirect to that too.
	 */
	private static OidcClientInitiatedLogoutSuccessHandler providerSignOut(ProviderSignIn provider) {
		OidcClientInitiatedLogoutSuccessHandler signOut = new OidcClientInitiatedLogoutSuccessHandler(
				provider.registrations());
		signOut.setDefaultTargetUrl(SIGNED_OUT);
		signOut.setPostLogoutRedirectUri("{baseUrl}" + SIGNED_OUT);
		DefaultRedirectStrategy local = new DefaultRedirectStrategy();
		signOut.setRedirectStrategy((request, response, url) -> {
			if (url.startsWith("/")) {
				local.sendRedirect(request, response, url);
			}
			else {
				ProviderSignInFilter.navigate(response, url, "Signing out", "Continue signing out");
			}
		});
		return signOut;
	}

	/**
	 * With {@code smp.oidc.api-audience}, the provider's access tokens beside HTTP Basic, with the roles mapped as at
	 * a console sign-in: wherever operators call with HTTP Basic (the API, its OpenAPI document, the metrics), so that
	 * the role matrix holds for the provider's operators as for local ones, also where
	 * {@code smp.oidc.local-accounts} leaves no local account to call with.
	 */
	private static void acceptAccessTokens(HttpSecurity http, ObjectProvider<ProviderSignIn> providers)
			throws Exception {
		ProviderSignIn provider = providers.getIfAvailable();
		if (provider != null && provider.acceptsAccessTokens()) {
			http.oauth2ResourceServer((resource) -> resource
				.jwt((jwt) -> jwt.decoder(provider.accessTokens()).jwtAuthenticationConverter(provider.apiOperators()))
				.authenticationEntryPoint(basicChallenge()));
		}
	}

	@Bean
	@Order(6)
	SecurityFilterChain fallbackSecurity(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/error").permitAll().anyRequest().denyAll());
		return stateless(http).build();
	}

	private static HttpSecurity stateless(HttpSecurity http) throws Exception {
		return http.csrf((csrf) -> csrf.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache((cache) -> cache.disable())
			.headers(Customizer.withDefaults())
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(unauthorized())
				.accessDeniedHandler(forbidden()));
	}

	/**
	 * 401 for missing or wrong credentials. A sign-in that failed because the server could not look the account up
	 * (Spring Security reports that as an {@link AuthenticationServiceException}) is not the caller's fault: with
	 * the database unavailable it is 503 {@code database-unavailable}, so that a right password is never answered
	 * 401 during an outage; anything else is a 500.
	 */
	private static AuthenticationEntryPoint unauthorized() {
		return (request, response, ex) -> {
			if (ex instanceof AuthenticationServiceException) {
				serverSideSignInFailure(response, ex);
				return;
			}
			Problems.write(response, ProblemType.UNAUTHORIZED, "Authentication is required");
		};
	}

	/** Operators get the Basic challenge, so that curl -u and browsers know what to send. */
	private static AuthenticationEntryPoint basicChallenge() {
		return (request, response, ex) -> {
			if (!(ex instanceof AuthenticationServiceException)) {
				response.setHeader("WWW-Authenticate", "Basic realm=\"smp\"");
			}
			unauthorized().commence(request, response, ex);
		};
	}

	private static void serverSideSignInFailure(HttpServletResponse response, Exception ex) throws java.io.IOException {
		if (DatabaseFailures.isUnavailable(ex)) {
			logger.warn("Sign-in not possible, the database is unavailable: " + ex.getMessage());
			DatabaseFailures.write(response);
			return;
		}
		logger.error("Sign-in failed on the server side", ex);
		Problems.write(response, ProblemType.INTERNAL, "The server could not complete the request");
	}

	/**
	 * The console's failed sign-in: back to the form, unless the server could not check the account (database
	 * unavailable), which is a 503 page rather than "wrong password".
	 */
	private static AuthenticationFailureHandler consoleSignInFailed() {
		return (request, response, ex) -> {
			if (ex instanceof AuthenticationServiceException) {
				if (DatabaseFailures.isUnavailable(ex)) {
					logger.warn("Console sign-in not possible, the database is unavailable: " + ex.getMessage());
					response.setHeader("Retry-After", Integer.toString(DatabaseFailures.RETRY_AFTER_SECONDS));
					response.sendError(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
					return;
				}
				logger.error("Console sign-in failed on the server side", ex);
				response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
				return;
			}
			response.sendRedirect(request.getContextPath() + "/login?error");
		};
	}

	/**
	 * An operator whose role does not allow the request: refused, and recorded, so that an auditor sees who tried
	 * (for instance to read recovery information without the role). The answer stays 403 even if the record
	 * cannot be written.
	 */
	private static AccessDeniedHandler auditedForbidden(AuditLog audit) {
		return (request, response, ex) -> {
			try {
				audit.recordAlone(null, "access.denied", request.getMethod() + " " + request.getRequestURI(),
						AuditOutcome.DENIED, "role does not allow this");
			}
			catch (RuntimeException notRecorded) {
				logger.warn("Could not record a denied request in the audit log", notRecorded);
			}
			forbidden().handle(request, response, ex);
		};
	}

	/**
	 * The console's refusals: a page, not a problem document. A missing role is recorded as on the API; a missing
	 * or stale CSRF token is not a role matter and is only refused.
	 */
	private static AccessDeniedHandler consoleForbidden(AuditLog audit) {
		return (request, response, ex) -> {
			if (!(ex instanceof CsrfException)) {
				try {
					audit.recordAlone(null, "access.denied", request.getMethod() + " " + request.getRequestURI(),
							AuditOutcome.DENIED, "role does not allow this");
				}
				catch (RuntimeException notRecorded) {
					logger.warn("Could not record a denied request in the audit log", notRecorded);
				}
			}
			response.sendError(HttpServletResponse.SC_FORBIDDEN);
		};
	}

	private static AccessDeniedHandler forbidden() {
		return (request, response, ex) -> Problems.write(response, ProblemType.FORBIDDEN,
				"Your role does not allow this");
	}

}
