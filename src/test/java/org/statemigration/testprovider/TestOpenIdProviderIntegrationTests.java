package org.statemigration.testprovider;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.support.ServerProcess;

import static org.assertj.core.api.Assertions.assertThat;

/** The test provider itself: what the sign-in tests rely on it for. */
class TestOpenIdProviderIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static TestOpenIdProvider provider;

	@BeforeAll
	static void start() throws Exception {
		provider = TestOpenIdProvider.start(ServerProcess.freePort(), "https://localhost:1/login/oauth2/code/oidc");
	}

	@AfterAll
	static void stop() {
		provider.close();
	}

	@Test
	void publishesItsDiscoveryDocumentForItsIssuer() throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(provider.issuer() + "/.well-known/openid-configuration")).build(),
					HttpResponse.BodyHandlers.ofString());
		JsonNode document = json.readTree(response.body());
		assertThat(document.path("issuer").asString()).isEqualTo(provider.issuer());
		assertThat(document.path("authorization_endpoint").asString()).startsWith(provider.issuer());
		assertThat(document.path("jwks_uri").asString()).startsWith(provider.issuer());
		assertThat(document.path("code_challenge_methods_supported").toString()).contains("S256");
	}

	@Test
	void issuesClientCredentialsTokensWithTheGroupsClaim() throws Exception {
		String token = provider.clientCredentialsToken();
		String[] parts = token.split("\\.");
		assertThat(parts).hasSize(3);
		JsonNode claims = json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
		assertThat(claims.path("iss").asString()).isEqualTo(provider.issuer());
		assertThat(claims.path("sub").asString()).isEqualTo(TestOpenIdProvider.AUTOMATION_CLIENT_ID);
		assertThat(claims.path("groups").toString()).contains("smp-auditors");
		assertThat(claims.path("aud").toString()).contains(TestOpenIdProvider.API_AUDIENCE);
	}

}
