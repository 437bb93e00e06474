package org.statemigration.smp.admin.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.statemigration.smp.admin.OidcProperties;
import org.statemigration.smp.admin.ProviderSignIn;
import org.statemigration.smp.admin.Role;

import org.springframework.security.oauth2.client.endpoint.OAuth2AuthorizationCodeGrantRequest;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.core.OAuth2AuthorizationException;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationExchange;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationRequest;
import org.springframework.security.oauth2.core.endpoint.OAuth2AuthorizationResponse;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.JwtException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A provider whose token and key endpoints accept connections and never answer: smp's calls to them end after
 * {@code smp.oidc.read-timeout}, instead of holding the request (a console sign-in, a bearer request) for ever, which
 * is what Spring's clients do by default. The discovery document is served for real, the hanging endpoints are a
 * socket that accepts and holds.
 */
@Timeout(60)
class OidcSignInTimeoutTests {

	private static final Duration READ_TIMEOUT = Duration.ofSeconds(1);

	/** Well above the timeout, well below "for ever": the call ended because of the timeout. */
	private static final Duration BOUND = Duration.ofSeconds(8);

	private final List<Socket> held = new CopyOnWriteArrayList<>();

	private ServerSocket hanging;

	private HttpServer discovery;

	private OidcSignIn signIn;

	@BeforeEach
	void provider() throws IOException {
		this.hanging = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			while (!this.hanging.isClosed()) {
				try {
					// accepted, never read from nor answered
					this.held.add(this.hanging.accept());
				}
				catch (IOException ex) {
					return;
				}
			}
		}, "hanging-provider");
		acceptor.setDaemon(true);
		acceptor.start();
		this.discovery = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		String issuer = "http://127.0.0.1:" + this.discovery.getAddress().getPort();
		String hangs = "http://127.0.0.1:" + this.hanging.getLocalPort();
		String document = """
				{"issuer": "%s", "authorization_endpoint": "%s/authorize", "token_endpoint": "%s/token",
				 "jwks_uri": "%s/jwks", "userinfo_endpoint": "%s/userinfo", "response_types_supported": ["code"],
				 "subject_types_supported": ["public"], "id_token_signing_alg_values_supported": ["RS256"]}
				""".formatted(issuer, issuer, hangs, hangs, hangs);
		this.discovery.createContext("/.well-known/openid-configuration", (exchange) -> {
			byte[] body = document.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.discovery.start();
		OidcProperties properties = new OidcProperties(true, URI.create(issuer), "smp", "secret", "Example",
				List.of("openid", "profile"), "groups", "preferred_username",
				Map.of("smp-admins", Set.of(Role.ADMIN)), Duration.ofSeconds(5), List.of(), "smp-api",
				Duration.ofSeconds(60), Duration.ofSeconds(1), READ_TIMEOUT);
		this.signIn = new OidcSignIn(properties, null, Clock.systemUTC(), null);
	}

	@AfterEach
	void stop() throws IOException {
		this.discovery.stop(0);
		this.hanging.close();
		for (Socket socket : this.held) {
			socket.close();
		}
	}

	@Test
	void anAccessTokenIsRefusedWhenTheProviderKeysHang() throws Exception {
		String token = signed(Map.of("aud", "smp-api", "groups", List.of("smp-admins")));
		Instant start = Instant.now();
		assertThatExceptionOfType(BadJwtException.class)
			.isThrownBy(() -> this.signIn.accessTokens().decode(token))
			.withMessageContaining("keys cannot be read");
		assertBounded(start);
		assertThat(this.held).isNotEmpty();
	}

	@Test
	void theTokenRequestOfASignInEndsWhenTheTokenEndpointHangs() {
		ClientRegistration registration = this.signIn.registrations()
			.findByRegistrationId(ProviderSignIn.REGISTRATION_ID);
		OAuth2AuthorizationRequest request = OAuth2AuthorizationRequest.authorizationCode()
			.authorizationUri(registration.getProviderDetails().getAuthorizationUri())
			.clientId("smp")
			.redirectUri("https://smp.example.com/login/oauth2/code/oidc")
			.state("state")
			.build();
		OAuth2AuthorizationResponse response = OAuth2AuthorizationResponse.success("code")
			.redirectUri("https://smp.example.com/login/oauth2/code/oidc")
			.state("state")
			.build();
		Instant start = Instant.now();
		assertThatExceptionOfType(OAuth2AuthorizationException.class)
			.isThrownBy(() -> this.signIn.tokens()
				.getTokenResponse(new OAuth2AuthorizationCodeGrantRequest(registration,
						new OAuth2AuthorizationExchange(request, response))))
			.satisfies((ex) -> assertThat(ex.getError().getErrorCode()).isEqualTo("invalid_token_response"));
		assertBounded(start);
		assertThat(this.held).isNotEmpty();
	}

	@Test
	void theIdTokenOfASignInIsRefusedWhenTheProviderKeysHang() throws Exception {
		ClientRegistration registration = this.signIn.registrations()
			.findByRegistrationId(ProviderSignIn.REGISTRATION_ID);
		String idToken = signed(Map.of("aud", "smp", "nonce", "n"));
		Instant start = Instant.now();
		assertThatExceptionOfType(JwtException.class)
			.isThrownBy(() -> this.signIn.idTokens().createDecoder(registration).decode(idToken));
		assertBounded(start);
		assertThat(this.held).isNotEmpty();
	}

	private String signed(Map<String, Object> claims) throws JOSEException {
		RSAKey key = new RSAKeyGenerator(2048).keyID("key-1").generate();
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(this.signIn.registrations()
			.findByRegistrationId(ProviderSignIn.REGISTRATION_ID)
			.getProviderDetails()
			.getIssuerUri())
			.subject("alice")
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(300)));
		claims.forEach(builder::claim);
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
				builder.build());
		jwt.sign(new RSASSASigner(key));
		return jwt.serialize();
	}

	private static void assertBounded(Instant start) {
		assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(READ_TIMEOUT).isLessThan(BOUND);
	}

}
