package org.statemigration.smp.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.statemigration.smp.console.ConsoleClient;
import org.statemigration.smp.console.ConsoleClient.Page;
import org.statemigration.smp.console.ConsoleRoleMatrix;
import org.statemigration.smp.support.AdminApiTestSupport;
import org.statemigration.smp.support.OnBothDatabases;
import org.statemigration.smp.support.OperatorClient;
import org.statemigration.smp.support.ProcessDatabase;
import org.statemigration.smp.support.ProviderTest;
import org.statemigration.smp.support.ServerProcess;
import org.statemigration.smp.support.TestServer.Response;
import org.statemigration.testprovider.TestOpenIdProvider;
import org.statemigration.testprovider.TestOpenIdProvider.Tokens;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operators of a real OpenID provider ({@link TestOpenIdProvider}, in a process of its own) on the packaged server
 * (in another), with no browser: access tokens fetched by the authorization code flow with PKCE over HTTP, and the
 * console's sign-in with the provider over HTTP as a browser without script makes it. The role matrices of the admin
 * API ({@link AdminApiRoleMatrix}) and of the console ({@link ConsoleRoleMatrix}) hold for callers who are users of
 * the provider with one mapped role each; a user's token gives the mapped roles and nothing else, an unmapped user's
 * and an ID token are refused, and so is a token of another issuer signed with the provider's own key; a change of
 * groups at the provider takes effect at the next sign-in and the next token. The server is on the database of the
 * run: H2, then PostgreSQL, where the operators list ({@code provider_operator}) and the audit log of these
 * sign-ins are written too.
 */
@ProviderTest
@OnBothDatabases
class ProviderOperatorsIntegrationTests extends AdminApiRoleMatrix {

	private static final String PROVIDER = "Test Provider";

	/** The provider's user of each role of the matrix, each in a group mapped to that role alone. */
	private static final Map<Caller, String> USERS = Map.of(Caller.ADMIN, "alice", Caller.OSD_MANAGER, "olivia",
			Caller.RECOVERY_VIEWER, "rachel", Caller.AUDITOR, "audrey");

	private static final JsonMapper json = JsonMapper.builder().build();

	private ProcessDatabase database;

	private ServerProcess process;

	private TestOpenIdProvider provider;

	/** Starts the provider and the server on the database of the run, at the first call; then connects to it. */
	@Override
	protected void connect() {
		if (this.process == null) {
			start();
		}
		this.server = this.process.client();
		this.admin = this.server.admin();
	}

	/** The provider starts while the server does: the server asks it nothing before the first sign-in. */
	private void start() {
		int port = ServerProcess.freePort();
		int providerPort = ServerProcess.freePort();
		CompletableFuture<TestOpenIdProvider> starting = CompletableFuture.supplyAsync(() -> {
			try {
				return TestOpenIdProvider.start(providerPort, "https://localhost:" + port + "/login/oauth2/code/oidc");
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		try {
			this.database = ProcessDatabase.ofTheRun("sso_provider_operators");
			this.process = ServerProcess.start(Path.of("target", "provider-operators-" + port), "384m",
					this.database.arguments(), true, "--server.port=" + port, "--smp.oidc.enabled=true",
					"--smp.oidc.issuer-uri=http://127.0.0.1:" + providerPort,
					"--smp.oidc.client-id=" + TestOpenIdProvider.CONSOLE_CLIENT_ID,
					"--smp.oidc.client-secret=" + TestOpenIdProvider.CONSOLE_CLIENT_SECRET,
					"--smp.oidc.display-name=" + PROVIDER, "--smp.oidc.role-mapping[smp-admins]=ADMIN",
					"--smp.oidc.role-mapping[smp-osd]=OSD_MANAGER",
					"--smp.oidc.role-mapping[smp-recovery]=RECOVERY_VIEWER",
					"--smp.oidc.role-mapping[smp-audit]=AUDITOR",
					"--smp.oidc.role-mapping[smp-auditors]=AUDITOR,RECOVERY_VIEWER", "--smp.oidc.local-accounts=admin",
					"--smp.oidc.api-audience=" + TestOpenIdProvider.API_AUDIENCE);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		finally {
			this.provider = starting.join();
		}
		assertThat(this.provider.issuer()).isEqualTo("http://127.0.0.1:" + providerPort);
	}

	@AfterAll
	void stop() throws Exception {
		if (this.process != null) {
			this.process.close();
		}
		if (this.provider != null) {
			this.provider.close();
		}
		if (this.database != null) {
			this.database.close();
		}
	}

	/** The matrix's callers: the provider's user of the role, with an access token of the authorization code flow. */
	@Override
	OperatorClient caller(Caller caller) throws Exception {
		String user = USERS.get(caller);
		return this.server.bearer("oidc:" + user, this.provider.authorizationCodeTokens(user).accessToken());
	}

	@Test
	void theConsolesRoutesHoldForTheProvidersOperatorsWhoAreListedWithTheirRoles() {
		Map<Role, ConsoleClient> consoles = new EnumMap<>(Role.class);
		USERS.forEach((caller, user) -> consoles.put(Role.valueOf(caller.name()),
				ConsoleClient.signedInWithProvider(this.server, this.provider, user)));

		ConsoleRoleMatrix.assertEveryRoute(this.server, ConsoleRoleMatrix.routes(this.admin, AdminApiTestSupport::unique),
				consoles);

		assertThat(this.admin.get("/api/v1/audit?action=access.denied&actor=oidc:olivia").json().path("total").asLong())
			.as("refusals of oidc:olivia recorded")
			.isPositive();
		String operators = consoles.get(Role.ADMIN).get("/console/operators").body();
		USERS.forEach((caller, user) -> assertThat(providerOperatorRoles(operators, user)).as(user)
			.isEqualTo(caller.name()));
		assertThat(lastSignIn("oidc:olivia").path("detail").asString())
			.contains("with " + PROVIDER + " (" + this.provider.issuer() + ")", "subject olivia")
			.endsWith("roles OSD_MANAGER");
	}

	@Test
	void authorizationCodeTokensGiveTheUsersMappedRolesAndNothingElse() throws Exception {
		Tokens alice = this.provider.authorizationCodeTokens("alice");
		assertThat(claims(alice.accessToken()).path("aud").toString()).contains(TestOpenIdProvider.API_AUDIENCE);
		OperatorClient administrator = this.server.bearer("oidc:alice", alice.accessToken());
		assertThat(administrator.get("/api/v1/admins").status()).isEqualTo(200);
		String created = operatorName("by-alice");
		assertThat(administrator.post("/api/v1/admins",
				Map.of("username", created, "password", "a-long-enough-password", "roles", List.of("AUDITOR")))
			.status()).isEqualTo(201);
		JsonNode creation = this.admin.get("/api/v1/audit?actor=oidc:alice&action=operator.create").json();
		assertThat(creation.toString()).contains(created);
		assertThat(lastSignIn("oidc:alice").path("outcome").asString()).isEqualTo("SUCCESS");

		// smp-auditors: AUDITOR and RECOVERY_VIEWER, and nothing of ADMIN's
		OperatorClient bob = this.server.bearer("oidc:bob", this.provider.authorizationCodeTokens("bob").accessToken());
		assertThat(bob.get("/api/v1/audit").status()).isEqualTo(200);
		String missing = UUID.randomUUID().toString();
		assertProblem(bob.post("/api/v1/associations/" + missing + "/recovery-information",
				Map.of("reason", "ticket 2 provider token")), 404, "not-found");
		assertProblem(bob.get("/api/v1/admins"), 403, "forbidden");
		assertProblem(bob.patch("/api/v1/settings", Map.of()), 403, "forbidden");
		String denied = this.admin.get("/api/v1/audit?action=access.denied&actor=oidc:bob").body();
		assertThat(denied).contains("GET /api/v1/admins", "PATCH /api/v1/settings");

		// carol is in no group that smp maps: refused as an invalid token is, and the refusal recorded
		Response carol = this.server.bearer("oidc:carol", this.provider.authorizationCodeTokens("carol").accessToken())
			.get("/api/v1/associations");
		assertUnauthorized(carol);
		JsonNode refusal = lastRefusalOf("oidc:carol");
		assertThat(refusal.path("outcome").asString()).isEqualTo("DENIED");
		assertThat(refusal.path("detail").asString()).contains("access token of " + PROVIDER)
			.contains("no role of smp in the claim groups [marketing]");
	}

	@Test
	void anIdTokenIsNotTakenForAnAccessToken() throws Exception {
		Tokens alice = this.provider.authorizationCodeTokens("alice");
		JsonNode idToken = claims(alice.idToken());
		// signed by the provider, for smp's API audience, with alice's groups: only its nonce tells it apart
		assertThat(idToken.path("aud").toString()).contains(TestOpenIdProvider.API_AUDIENCE);
		assertThat(idToken.path("groups").toString()).contains("smp-admins");
		assertThat(idToken.path("nonce").asString()).isNotEmpty();
		assertThat(this.server.bearer("oidc:alice", alice.accessToken()).get("/api/v1/admins").status())
			.isEqualTo(200);

		assertUnauthorized(this.server.bearer("oidc:alice", alice.idToken()).get("/api/v1/admins"));
	}

	@Test
	void aTokenOfAnotherIssuerSignedWithTheProvidersKeyIsRefused() throws Exception {
		try (TestOpenIdProvider other = TestOpenIdProvider.startWithTheKeyOf(this.provider, ServerProcess.freePort(),
				"https://localhost:" + this.server.port() + "/login/oauth2/code/oidc")) {
			String token = other.authorizationCodeTokens("alice").accessToken();
			// the provider's own keys verify it: a valid signature, alice's groups, smp's audience; another issuer
			Jwt checked = NimbusJwtDecoder.withJwkSetUri(this.provider.issuer() + "/oauth2/jwks").build().decode(token);
			assertThat(checked.getIssuer().toString()).isEqualTo(other.issuer()).isNotEqualTo(this.provider.issuer());
			assertThat(checked.getAudience()).contains(TestOpenIdProvider.API_AUDIENCE);
			assertThat(checked.getClaimAsStringList("groups")).containsExactly("smp-admins");

			assertUnauthorized(this.server.bearer("oidc:alice", token).get("/api/v1/admins"));
		}
	}

	/**
	 * dave is moved between groups at the provider while smp runs: each new sign-in and each new token carries the
	 * groups of the moment; what was signed in or issued before keeps its roles until it ends (the session) or
	 * expires (the token), as documented.
	 */
	@Test
	void aChangeOfGroupsAtTheProviderTakesEffectAtTheNextSignIn() throws Exception {
		this.provider.changeGroups("dave", List.of("smp-auditors"));
		OperatorClient auditorToken = this.server.bearer("oidc:dave",
				this.provider.authorizationCodeTokens("dave").accessToken());
		assertThat(auditorToken.get("/api/v1/audit").status()).isEqualTo(200);
		assertProblem(auditorToken.get("/api/v1/admins"), 403, "forbidden");
		ConsoleClient auditorConsole = ConsoleClient.signedInWithProvider(this.server, this.provider, "dave");
		assertThat(auditorConsole.get("/console/settings").status()).isEqualTo(403);
		assertThat(lastSignIn("oidc:dave").path("detail").asString()).endsWith("roles AUDITOR, RECOVERY_VIEWER");

		this.provider.changeGroups("dave", List.of("smp-admins"));

		OperatorClient adminToken = this.server.bearer("oidc:dave",
				this.provider.authorizationCodeTokens("dave").accessToken());
		assertThat(adminToken.get("/api/v1/admins").status()).isEqualTo(200);
		ConsoleClient adminConsole = ConsoleClient.signedInWithProvider(this.server, this.provider, "dave");
		assertThat(adminConsole.get("/console/settings").status()).isEqualTo(200);
		assertThat(lastSignIn("oidc:dave").path("detail").asString()).endsWith("roles ADMIN");
		assertThat(providerOperatorRoles(adminConsole.get("/console/operators").body(), "dave")).isEqualTo("ADMIN");
		assertProblem(auditorToken.get("/api/v1/admins"), 403, "forbidden");
		assertThat(auditorConsole.get("/console/settings").status()).isEqualTo(403);

		this.provider.changeGroups("dave", List.of("staff"));

		Page refused = new ConsoleClient(this.server).signInWithProvider(this.provider, "dave");
		assertThat(refused.status()).isEqualTo(302);
		assertThat(refused.location()).isEqualTo("/login?providerRefused");
		JsonNode consoleRefusal = lastRefusalOf("oidc:dave");
		assertThat(consoleRefusal.path("outcome").asString()).isEqualTo("DENIED");
		assertThat(consoleRefusal.path("detail").asString()).startsWith("with " + PROVIDER)
			.contains("no role of smp in the claim groups [staff]");
		assertUnauthorized(this.server.bearer("oidc:dave", this.provider.authorizationCodeTokens("dave").accessToken())
			.get("/api/v1/associations"));
		assertThat(lastRefusalOf("oidc:dave").path("detail").asString()).startsWith("access token of " + PROVIDER)
			.contains("no role of smp in the claim groups [staff]");
		// the session of the sign-in before keeps its roles until it ends (see docs/sso.md)
		assertThat(adminConsole.get("/console/settings").status()).isEqualTo(200);
	}

	/** The roles of the provider's operator {@code user} in the operators page's list of them. */
	private String providerOperatorRoles(String operatorsPage, String user) {
		Matcher row = Pattern.compile("<th scope=\"row\">oidc:" + user + "</th>\\s*<td>" + user + "</td>\\s*<td>"
				+ Pattern.quote(this.provider.issuer()) + "</td>\\s*<td>([^<]*)</td>").matcher(operatorsPage);
		assertThat(row.find()).as("oidc:%s on the operators page", user).isTrue();
		return row.group(1);
	}

	private JsonNode lastSignIn(String actor) {
		JsonNode page = this.admin.get("/api/v1/audit?action=sign-in&actor=" + actor).json();
		assertThat(page.path("items").size()).as("sign-ins of %s", actor).isPositive();
		return page.path("items").get(0);
	}

	/** The latest refused sign-in with the provider of {@code target} (recorded with the actor anonymous). */
	private JsonNode lastRefusalOf(String target) {
		List<JsonNode> refusals = new ArrayList<>();
		this.admin.get("/api/v1/audit?action=sign-in&actor=anonymous&size=500")
			.json()
			.path("items")
			.forEach((event) -> {
				if (target.equals(event.path("target").asString())) {
					refusals.add(event);
				}
			});
		assertThat(refusals).as("refusals of %s", target).isNotEmpty();
		return refusals.get(0);
	}

	/** A token's claims, as it carries them (not checked here). */
	private static JsonNode claims(String token) {
		String[] parts = token.split("\\.");
		return json.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

}
