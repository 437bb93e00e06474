package org.statemigration.testprovider;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configuration.OAuth2AuthorizationServerConfiguration;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.provisioning.UserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.filter.DelegatingFilterProxy;

/**
 * A real OpenID provider for the sign-in tests: Spring Authorization Server on embedded Tomcat, plain HTTP on
 * 127.0.0.1, started by {@link TestOpenIdProvider} in a JVM of its own. No Spring Boot: it runs from the test
 * classpath, where Boot would otherwise configure smp's own beans; and it lives outside smp's packages, which smp's
 * test servers scan for their beans. Its users, their groups and its clients are
 * {@link TestOpenIdProvider}'s constants; the users' groups go into the {@code groups} claim of their ID and access
 * tokens, and their names into {@code preferred_username}. It ends a user's session at its
 * {@code end_session_endpoint} (OpenID Connect RP-initiated logout, Spring Authorization Server's default with OIDC),
 * and then sends the browser to the console client's post-logout redirect URI.
 * <p>
 * Arguments: the port, the redirect URI of the console's client, the folder to write {@code ready} into once it
 * answers, and optionally the file of another provider's signing key to sign with (a provider of another issuer
 * whose tokens smp's copy of the first provider's keys verifies). Its own signing key is written to
 * {@code signing-key.json} in that folder.
 */
public final class OpenIdProviderMain {

	private OpenIdProviderMain() {
	}

	public static void main(String[] args) throws Exception {
		int port = Integer.parseInt(args[0]);
		String redirectUri = args[1];
		Path folder = Path.of(args[2]);
		String issuer = "http://127.0.0.1:" + port;
		Map<String, Object> properties = new HashMap<>(Map.of("issuer", issuer, "redirect-uri", redirectUri, "folder",
				folder.toString()));
		if (args.length > 3) {
			properties.put("signing-key", args[3]);
		}
		Files.createDirectories(folder);
		Tomcat tomcat = new Tomcat();
		tomcat.setBaseDir(Files.createTempDirectory(folder, "tomcat").toString());
		Connector connector = new Connector();
		connector.setPort(port);
		connector.setProperty("address", "127.0.0.1");
		tomcat.setConnector(connector);
		Context context = tomcat.addContext("", null);
		context.addServletContainerInitializer((classes, servletContext) -> {
			AnnotationConfigWebApplicationContext spring = new AnnotationConfigWebApplicationContext();
			spring.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("provider", properties));
			spring.register(ProviderConfiguration.class);
			spring.setServletContext(servletContext);
			spring.refresh();
			servletContext.addFilter("springSecurityFilterChain",
					new DelegatingFilterProxy("springSecurityFilterChain", spring))
				.addMappingForUrlPatterns(null, false, "/*");
			servletContext
				.addServlet("groups", new GroupsEndpoint((UserDetailsManager) spring.getBean(UserDetailsService.class)))
				.addMapping(GroupsEndpoint.PATH + "*");
			servletContext.addServlet("nothing", new NothingHere()).addMapping("/");
		}, null);
		tomcat.start();
		Files.writeString(folder.resolve("ready"), issuer);
		tomcat.getServer().await();
	}

	/** What the filters do not answer. */
	static final class NothingHere extends HttpServlet {

		private static final long serialVersionUID = 1L;

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
			response.sendError(HttpServletResponse.SC_NOT_FOUND);
		}

	}

	/**
	 * The tests' way to change a user's groups while the provider runs, as an administrator of a real provider
	 * would: {@code PUT /test/groups/<user>} with the groups, comma-separated, as the body (none: empty). Only for
	 * callers on this machine (the provider listens on 127.0.0.1 alone anyway). The next sign-in of the user reads
	 * the new groups; a session the user has at the provider keeps the old ones.
	 */
	static final class GroupsEndpoint extends HttpServlet {

		static final String PATH = "/test/groups/";

		private static final long serialVersionUID = 1L;

		private final transient UserDetailsManager users;

		GroupsEndpoint(UserDetailsManager users) {
			this.users = users;
		}

		@Override
		protected void doPut(HttpServletRequest request, HttpServletResponse response) throws IOException {
			if (!InetAddress.getByName(request.getRemoteAddr()).isLoopbackAddress()) {
				response.sendError(HttpServletResponse.SC_FORBIDDEN);
				return;
			}
			String username = (request.getPathInfo() != null) ? request.getPathInfo().substring(1) : "";
			if (!this.users.userExists(username)) {
				response.sendError(HttpServletResponse.SC_NOT_FOUND);
				return;
			}
			String body = new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
			String[] groups = Arrays.stream(body.split(","))
				.map(String::strip)
				.filter((group) -> !group.isEmpty())
				.map((group) -> "GROUP_" + group)
				.toArray(String[]::new);
			UserDetails user = this.users.loadUserByUsername(username);
			this.users.updateUser(User.withUserDetails(user).authorities(groups).build());
			response.setStatus(HttpServletResponse.SC_NO_CONTENT);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSecurity
	static class ProviderConfiguration {

		/** The groups endpoint: open to this machine (the endpoint checks), without CSRF token (no form calls it). */
		@Bean
		@Order(0)
		SecurityFilterChain testControls(HttpSecurity http) throws Exception {
			http.securityMatcher(GroupsEndpoint.PATH + "**")
				.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
				.csrf((csrf) -> csrf.disable());
			return http.build();
		}

		@Bean
		@Order(1)
		SecurityFilterChain authorizationServer(HttpSecurity http) throws Exception {
			OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
			http.securityMatcher(server.getEndpointsMatcher())
				.with(server, (configurer) -> configurer.oidc(Customizer.withDefaults()))
				.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.csrf((csrf) -> csrf.ignoringRequestMatchers(server.getEndpointsMatcher()))
				// the user-info endpoint takes the provider's own access tokens
				.oauth2ResourceServer((resource) -> resource.jwt(Customizer.withDefaults()))
				.exceptionHandling((exceptions) -> exceptions
					.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")));
			return http.build();
		}

		@Bean
		@Order(2)
		SecurityFilterChain signIn(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.formLogin(Customizer.withDefaults());
			return http.build();
		}

		@Bean
		UserDetailsService users() {
			InMemoryUserDetailsManager users = new InMemoryUserDetailsManager();
			TestOpenIdProvider.allUsers().forEach((name, groups) -> users.createUser(User.withUsername(name)
				.password("{noop}" + TestOpenIdProvider.PASSWORD)
				.authorities(groups.stream().map((group) -> "GROUP_" + group).toArray(String[]::new))
				.build()));
			return users;
		}

		@Bean
		RegisteredClientRepository clients(Environment environment) {
			RegisteredClient console = RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(TestOpenIdProvider.CONSOLE_CLIENT_ID)
				.clientSecret("{noop}" + TestOpenIdProvider.CONSOLE_CLIENT_SECRET)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.authorizationGrantType(AuthorizationGrantType.REFRESH_TOKEN)
				.redirectUri(environment.getRequiredProperty("redirect-uri"))
				// RP-initiated logout: back to the console's sign-in page, at the same address
				.postLogoutRedirectUri(URI.create(environment.getRequiredProperty("redirect-uri"))
					.resolve(TestOpenIdProvider.POST_LOGOUT_PATH)
					.toString())
				.scope(OidcScopes.OPENID)
				.scope(OidcScopes.PROFILE)
				.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
				.tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(5)).build())
				.build();
			RegisteredClient automation = RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(TestOpenIdProvider.AUTOMATION_CLIENT_ID)
				.clientSecret("{noop}" + TestOpenIdProvider.AUTOMATION_CLIENT_SECRET)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.scope("smp")
				.build();
			RegisteredClient shortLived = RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(TestOpenIdProvider.SHORT_LIVED_CLIENT_ID)
				.clientSecret("{noop}" + TestOpenIdProvider.secretOf(TestOpenIdProvider.SHORT_LIVED_CLIENT_ID))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.scope("smp")
				.tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofSeconds(2)).build())
				.build();
			RegisteredClient other = RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(TestOpenIdProvider.OTHER_CLIENT_ID)
				.clientSecret("{noop}" + TestOpenIdProvider.secretOf(TestOpenIdProvider.OTHER_CLIENT_ID))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.scope("smp")
				.build();
			RegisteredClient unmapped = RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(TestOpenIdProvider.UNMAPPED_CLIENT_ID)
				.clientSecret("{noop}" + TestOpenIdProvider.secretOf(TestOpenIdProvider.UNMAPPED_CLIENT_ID))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
				.scope("smp")
				.build();
			return new InMemoryRegisteredClientRepository(console, automation, shortLived, other, unmapped, scripts());
		}

		/**
		 * Scripts of operators: a public client (no secret, as a command on an operator's machine is) with the
		 * authorization code grant and PKCE, whose users' access tokens are for smp's API.
		 */
		private static RegisteredClient scripts() {
			return RegisteredClient.withId(UUID.randomUUID().toString())
				.clientId(TestOpenIdProvider.SCRIPTS_CLIENT_ID)
				.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
				.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
				.redirectUri(TestOpenIdProvider.SCRIPTS_REDIRECT_URI)
				.scope(OidcScopes.OPENID)
				.scope(OidcScopes.PROFILE)
				.clientSettings(ClientSettings.builder().requireProofKey(true).requireAuthorizationConsent(false).build())
				.tokenSettings(TokenSettings.builder().accessTokenTimeToLive(Duration.ofMinutes(30)).build())
				.build();
		}

		/**
		 * The user's groups in {@code groups}, of the ID token and the access token alike, and the user's name in
		 * {@code preferred_username}; a client-credentials token names the groups of
		 * {@link TestOpenIdProvider#AUTOMATION_GROUPS}, for the audience {@link TestOpenIdProvider#API_AUDIENCE} (but the
		 * other client's, whose audience is that client). The access tokens of the scripts' client are for that
		 * audience too, and its ID tokens name it beside the client (as where the scripts' application and the API are
		 * one registration, Entra ID's v2.0 tokens): an ID token that only its {@code nonce} tells apart.
		 */
		@Bean
		OAuth2TokenCustomizer<JwtEncodingContext> groupsClaim() {
			return (context) -> {
				if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
					boolean mapped = !TestOpenIdProvider.UNMAPPED_CLIENT_ID
						.equals(context.getRegisteredClient().getClientId());
					context.getClaims().claim("groups", mapped ? TestOpenIdProvider.AUTOMATION_GROUPS : List.of("marketing"));
					// smp's API is the audience of the automation clients' tokens; the other client's are its own
					if (!TestOpenIdProvider.OTHER_CLIENT_ID.equals(context.getRegisteredClient().getClientId())) {
						context.getClaims().audience(List.of(TestOpenIdProvider.API_AUDIENCE));
					}
					return;
				}
				List<String> groups = context.getPrincipal()
					.getAuthorities()
					.stream()
					.map(GrantedAuthority::getAuthority)
					.filter((authority) -> authority.startsWith("GROUP_"))
					.map((authority) -> authority.substring("GROUP_".length()))
					.collect(Collectors.toList());
				boolean idToken = "id_token".equals(context.getTokenType().getValue());
				if (idToken || OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
					context.getClaims().claim("groups", groups);
					context.getClaims().claim("preferred_username", context.getPrincipal().getName());
				}
				if (TestOpenIdProvider.SCRIPTS_CLIENT_ID.equals(context.getRegisteredClient().getClientId())) {
					List<String> audience = idToken
							? List.of(TestOpenIdProvider.SCRIPTS_CLIENT_ID, TestOpenIdProvider.API_AUDIENCE)
							: List.of(TestOpenIdProvider.API_AUDIENCE);
					context.getClaims().audience(audience);
				}
			};
		}

		/** A new key, or another provider's when one is named; written to the folder for another provider to take. */
		@Bean
		JWKSource<SecurityContext> keys(Environment environment) throws Exception {
			String shared = environment.getProperty("signing-key");
			RSAKey key = (shared != null) ? readKey(Path.of(shared)) : newKey();
			Files.writeString(Path.of(environment.getRequiredProperty("folder"), "signing-key.json"),
					key.toJSONString());
			return new ImmutableJWKSet<>(new JWKSet(key));
		}

		private static RSAKey newKey() throws Exception {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			KeyPair pair = generator.generateKeyPair();
			return new RSAKey.Builder((RSAPublicKey) pair.getPublic()).privateKey((RSAPrivateKey) pair.getPrivate())
				.keyID(UUID.randomUUID().toString())
				.build();
		}

		private static RSAKey readKey(Path file) throws IOException, ParseException {
			return RSAKey.parse(Files.readString(file));
		}

		@Bean
		JwtDecoder jwtDecoder(JWKSource<SecurityContext> keys) {
			return OAuth2AuthorizationServerConfiguration.jwtDecoder(keys);
		}

		@Bean
		AuthorizationServerSettings settings(Environment environment) {
			return AuthorizationServerSettings.builder().issuer(environment.getRequiredProperty("issuer")).build();
		}

	}

}
